package io.fetchq.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Named SQL statements read from a dialect's resource files ({@code db/postgres/job.sql}, ...). A file is a
 * sequence of sections, each opened by a line {@code -- name: statementName}; the statement is everything
 * up to the next such line. Both dialects use the same names, so the two stores read alike.
 *
 * <p>A statement holding the line {@code -- plan: per execution} is planned anew each time it runs, with
 * its parameters' values, rather than once per connection: a lookup by a list of keys whose generic plan,
 * made while its table was nearly empty, would scan the whole table for as long as the connection lives
 * (nothing re-plans it until the table is analyzed, and autovacuum may be off).
 */
public final class SqlStatements {
    private static final Pattern NAME_LINE = Pattern.compile("(?m)^--\\s*name:\\s*(\\w+)\\s*$");
    private static final Pattern PER_EXECUTION = Pattern.compile("(?m)^--\\s*plan:\\s*per execution\\s*$");

    private final String dialect;
    private final Map<String, String> byName;
    /** The statements marked {@code -- plan: per execution}, found once here (prepare asks on every run). */
    private final Set<String> plannedPerExecution;

    private SqlStatements(String dialect, Map<String, String> byName) {
        this.dialect = dialect;
        this.byName = Map.copyOf(byName);
        this.plannedPerExecution = byName.entrySet().stream().filter(e -> PER_EXECUTION.matcher(e.getValue()).find())
                .map(Map.Entry::getKey).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** Loads {@code db/<dialect>/<file>.sql} for each file named. */
    public static SqlStatements load(String dialect, String... files) {
        Map<String, String> all = new LinkedHashMap<>();
        for (String file : files) {
            String resource = "db/" + dialect + "/" + file + ".sql";
            for (Map.Entry<String, String> e : parse(read(resource)).entrySet()) {
                if (all.put(e.getKey(), e.getValue()) != null) {
                    throw new IllegalStateException("statement '" + e.getKey() + "' is defined twice in db/" + dialect);
                }
            }
        }
        return new SqlStatements(dialect, all);
    }

    static Map<String, String> parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = NAME_LINE.matcher(text);
        String name = null;
        int start = 0;
        while (m.find()) {
            if (name != null) {
                out.put(name, clean(text.substring(start, m.start())));
            }
            name = m.group(1);
            start = m.end();
        }
        if (name != null) {
            out.put(name, clean(text.substring(start)));
        }
        return out;
    }

    private static String clean(String sql) {
        String s = sql.strip();
        while (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        return s;
    }

    private static String read(String resource) {
        try (InputStream in = SqlStatements.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing SQL resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read SQL resource " + resource, e);
        }
    }

    /** @throws IllegalStateException when the dialect has no statement of that name */
    public String get(String name) {
        String sql = byName.get(name);
        if (sql == null) {
            throw new IllegalStateException("no statement '" + name + "' in db/" + dialect);
        }
        return sql;
    }

    /** Whether the statement asks to be planned each time it runs (see the class comment). */
    public boolean plannedPerExecution(String name) {
        return plannedPerExecution.contains(name);
    }

    public Set<String> names() {
        return byName.keySet();
    }
}
