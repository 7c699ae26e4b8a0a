package io.fetchq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fetchq.config.Durations;
import io.fetchq.config.InvalidSettingsException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The command-line client of the scrape face (DESIGN.md §5) over a running server's HTTP API: submit URLs
 * and wait for them with a progress bar, read a job's status and results, fetch a page's content, cancel,
 * retry, the dead letters, and the server's stats.
 */
final class JobCommands {
    static final int MAX_URLS_PER_JOB = 10_000;
    static final String EXIT_CODES = "Exit codes: 0 success, 1 the server refused (the detail is printed), "
            + "2 invalid usage, 3 the server cannot be reached.";

    private JobCommands() {
    }

    static String jobPath(String id) {
        return "/jobs/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    // ---- submit ------------------------------------------------------------------------------------

    @Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Submit URLs to fetch: arguments, or one per line of a file (-f, '-' for stdin; blank lines "
                    + "and lines starting with # are skipped). More than " + MAX_URLS_PER_JOB + " URLs become several "
                    + "jobs. Prints each job's id; --wait follows them to the end with a progress bar on a terminal "
                    + "(plain lines on stderr when it is not one)."},
            footer = {"", "Exit codes: 0 submitted (with --wait: every URL completed), 1 some URLs failed or were "
                    + "cancelled (with --wait), or the server refused the submission, 2 invalid usage, "
                    + "3 the server cannot be reached."})
    static final class Submit extends ClientCommand implements Callable<Integer> {
        @Parameters(paramLabel = "URL", arity = "0..*", description = "URLs to fetch.")
        List<String> urls = new ArrayList<>();
        @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Read URLs from FILE, one per line ('-': stdin).")
        String file;
        @Option(names = "--priority", paramLabel = "1-10", description = "1 runs first (default 5).")
        Integer priority;
        @Option(names = "--max-age", paramLabel = "DURATION",
                description = "Reuse a stored page younger than this, e.g. 30m, 1d or seconds; 0 always fetches (default 1d).")
        String maxAge;
        @Option(names = "--max-attempts", paramLabel = "N", description = "Attempts per URL, 1-20 (default 3).")
        Integer maxAttempts;
        @Option(names = "--delay", paramLabel = "DURATION", description = "Fetch no sooner than this from now.")
        String delay;
        @Option(names = "--metadata", paramLabel = "JSON", description = "A JSON object kept with the job.")
        String metadata;
        @Option(names = "--callback-url", paramLabel = "URL", description = "Webhook called when the job finishes.")
        String callbackUrl;
        @Option(names = {"-w", "--wait"}, description = "Wait until every job has finished, showing progress.")
        boolean wait;
        @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
                description = "With --wait: auto (a bar on a terminal, lines otherwise), bar, lines or none.")
        Progress.Mode progress;
        @Option(names = {"-q", "--quiet"}, description = "Print only the job ids, one per line.")
        boolean quiet;
        @Option(names = "--json", description = "Print each job as the server's JSON, one per line.")
        boolean json;

        @Override
        public Integer call() throws IOException {
            List<String> all = new ArrayList<>(urls);
            if (file != null) {
                all.addAll(readLines(file));
            }
            if (all.isEmpty()) {
                throw new InvalidSettingsException("nothing to submit: give URL arguments or -f FILE ('-' for stdin)");
            }
            if (priority != null && (priority < 1 || priority > 10)) {
                throw new InvalidSettingsException("--priority: must be 1 (first) to 10, got " + priority);
            }
            if (maxAttempts != null && (maxAttempts < 1 || maxAttempts > 20)) {
                throw new InvalidSettingsException("--max-attempts: must be 1 to 20, got " + maxAttempts);
            }
            Map<String, Object> options = new LinkedHashMap<>();
            if (priority != null) {
                options.put("priority", priority);
            }
            if (maxAge != null) {
                options.put("max_age_seconds", seconds("--max-age", maxAge));
            }
            if (maxAttempts != null) {
                options.put("max_attempts", maxAttempts);
            }
            if (delay != null) {
                options.put("delay_seconds", seconds("--delay", delay));
            }
            if (metadata != null) {
                try {
                    JsonNode m = ServerClient.JSON.readTree(metadata);
                    if (m == null || !m.isObject()) {
                        throw new InvalidSettingsException("--metadata: must be a JSON object, e.g. '{\"team\":\"a\"}'");
                    }
                    options.put("metadata", m);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new InvalidSettingsException("--metadata: not JSON: " + e.getOriginalMessage());
                }
            }
            if (callbackUrl != null) {
                options.put("callback_url", callbackUrl);
            }
            ServerClient client = server.client();
            List<String> ids = new ArrayList<>();
            for (int from = 0; from < all.size(); from += MAX_URLS_PER_JOB) {
                Map<String, Object> body = new LinkedHashMap<>(options);
                body.put("urls", all.subList(from, Math.min(all.size(), from + MAX_URLS_PER_JOB)));
                JsonNode job = client.call("POST", "/jobs", body);
                ids.add(job.get("id").asText());
                if (quiet) {
                    out().println(job.get("id").asText());
                } else if (json) {
                    out().println(job);
                } else {
                    JsonNode c = job.get("counts");
                    out().printf("job %s %s: %d URL(s)%s%n", job.get("id").asText(), job.get("status").asText(),
                            c.get("total").asLong(), c.get("cached").asLong() > 0 ? ", " + c.get("cached").asLong()
                                    + " already stored (cached)" : "");
                }
                out().flush();
            }
            if (!wait) {
                return 0;
            }
            List<JsonNode> finished = new Waiter(client, ids, Progress.start(progress, err())).await();
            boolean allCompleted = true;
            for (JsonNode job : finished) {
                JsonNode c = job.get("counts");
                allCompleted &= c.get("failed").asLong() == 0 && c.get("cancelled").asLong() == 0;
                if (json) {
                    out().println(job);
                } else if (!quiet) {
                    out().println(summary(job));
                }
            }
            return allCompleted ? 0 : Main.EXIT_FAILURE;
        }

        private static List<String> readLines(String file) throws IOException {
            List<String> lines = file.equals("-")
                    ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()
                    : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
            List<String> out = new ArrayList<>();
            for (String line : lines) {
                String l = line.strip();
                if (!l.isEmpty() && !l.startsWith("#")) {
                    out.add(l);
                }
            }
            return out;
        }
    }

    /** A duration such as 30m or 1d, or a bare number of seconds (0 included). */
    static long seconds(String option, String value) {
        if (value.strip().matches("\\d{1,12}")) {
            return Long.parseLong(value.strip());
        }
        return ClientCommand.duration(option, value).toSeconds();
    }

    /** "job X completed: 1990 completed (12 cached), 10 failed, 0 cancelled". */
    static String summary(JsonNode job) {
        JsonNode c = job.get("counts");
        StringBuilder s = new StringBuilder("job ").append(job.get("id").asText()).append(' ')
                .append(job.get("status").asText()).append(": ").append(c.get("completed").asLong()).append(" completed");
        if (c.get("cached").asLong() > 0) {
            s.append(" (").append(c.get("cached").asLong()).append(" cached)");
        }
        s.append(", ").append(c.get("failed").asLong()).append(" failed");
        if (c.get("cancelled").asLong() > 0) {
            s.append(", ").append(c.get("cancelled").asLong()).append(" cancelled");
        }
        long waiting = c.get("queued").asLong() + c.get("running").asLong();
        if (waiting > 0) {
            s.append(", ").append(waiting).append(" still to fetch");
        }
        s.append(" of ").append(c.get("total").asLong());
        return s.toString();
    }

    /** Polls jobs until every one has finished, reporting their combined counts to a {@link Progress}. */
    static final class Waiter {
        static final Duration POLL = Duration.ofMillis(400);
        private final ServerClient client;
        private final List<String> ids;
        private final Progress progress;

        Waiter(ServerClient client, List<String> ids, Progress progress) {
            this.client = client;
            this.ids = ids;
            this.progress = progress;
        }

        /** @return the jobs as they finished, in the order given */
        List<JsonNode> await() {
            Map<String, JsonNode> latest = new LinkedHashMap<>();
            while (true) {
                boolean allDone = true;
                long total = 0, completed = 0, failed = 0, cancelled = 0;
                for (String id : ids) {
                    JsonNode job = latest.get(id);
                    if (job == null || job.get("finished_at").isNull()) {
                        job = client.get(jobPath(id), Duration.ofSeconds(30));
                        latest.put(id, job);
                    }
                    allDone &= !job.get("finished_at").isNull();
                    JsonNode c = job.get("counts");
                    total += c.get("total").asLong();
                    completed += c.get("completed").asLong();
                    failed += c.get("failed").asLong();
                    cancelled += c.get("cancelled").asLong();
                }
                progress.update(total, completed, failed + cancelled, allDone);
                if (allDone) {
                    return new ArrayList<>(latest.values());
                }
                try {
                    Thread.sleep(POLL.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ServerClient.ServerException(0, "interrupted; the jobs go on (see 'fetchq status ID')");
                }
            }
        }
    }

    /**
     * Progress on stderr: a bar redrawn in place on a terminal ({@code [#####-----] 1,200/2,000 · 3 failed ·
     * 410/s · ETA 2s}), or, when stderr is not a terminal, a plain line when the counts changed and at least
     * {@link #LINE_EVERY} has passed, and always at the end.
     */
    static final class Progress {
        enum Mode { AUTO, BAR, LINES, NONE }

        static final long LINE_EVERY = 2_000_000_000L;
        private static final int WIDTH = 30;
        private final Mode mode;
        private final PrintWriter err;
        private final long startedAt = System.nanoTime();
        /** Recent (time, finished) samples for the rate: the last ~10 s. */
        private final java.util.ArrayDeque<long[]> samples = new java.util.ArrayDeque<>();
        private long lastLineAt;
        private long lastFinished = -1;

        private Progress(Mode mode, PrintWriter err) {
            this.mode = mode;
            this.err = err;
        }

        static Progress start(Mode asked, PrintWriter err) {
            Mode m = asked == Mode.AUTO ? (onTerminal() ? Mode.BAR : Mode.LINES) : asked;
            return new Progress(m, err);
        }

        /**
         * Whether this process runs on a terminal: Java's console is one (stdin and stdout not redirected;
         * Java 22+ says so with isTerminal, before it there is a console only then). A bar on stderr is for a
         * person watching; piped output gets plain lines.
         */
        static boolean onTerminal() {
            java.io.Console console = System.console();
            if (console == null) {
                return false;
            }
            try {
                return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
            } catch (NoSuchMethodException e) {
                return true;
            } catch (ReflectiveOperationException e) {
                return false;
            }
        }

        void update(long total, long completed, long failed, boolean done) {
            long now = System.nanoTime();
            long finished = completed + failed;
            samples.addLast(new long[] {now, finished});
            while (samples.size() > 2 && now - samples.peekFirst()[0] > 10_000_000_000L) {
                samples.removeFirst();
            }
            long[] first = samples.peekFirst();
            double seconds = (now - first[0]) / 1e9;
            double rate = seconds > 0.2 ? (finished - first[1]) / seconds : Double.NaN;
            String counts = String.format("%,d/%,d", finished, total) + (failed > 0 ? String.format(" · %,d failed", failed) : "")
                    + (Double.isNaN(rate) ? "" : String.format(" · %,.0f/s", rate))
                    + (done ? String.format(" · done in %s", elapsed(now)) : eta(total - finished, rate));
            switch (mode) {
                case BAR -> {
                    int filled = total == 0 ? WIDTH : (int) (WIDTH * finished / total);
                    err.print("\r[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + counts + "\u001b[K");
                    if (done) {
                        err.println();
                    }
                    err.flush();
                }
                case LINES -> {
                    if (done || (finished != lastFinished && now - lastLineAt >= LINE_EVERY) || lastLineAt == 0) {
                        err.println("progress: " + counts);
                        err.flush();
                        lastLineAt = now;
                        lastFinished = finished;
                    }
                }
                default -> {
                }
            }
        }

        private static String eta(long left, double rate) {
            if (left <= 0 || Double.isNaN(rate) || rate <= 0) {
                return "";
            }
            return " · ETA " + Durations.format(Duration.ofSeconds(Math.max(1, (long) Math.ceil(left / rate))));
        }

        private String elapsed(long now) {
            return String.format("%.1fs", (now - startedAt) / 1e9);
        }
    }

    // ---- status, cancel, retry ---------------------------------------------------------------------

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show a job: its status, its URLs' counts, and for a one-URL job its page or error.",
            footer = {"", EXIT_CODES})
    static final class Status extends ClientCommand implements Callable<Integer> {
        @Parameters(paramLabel = "ID", description = "The job's id.")
        String id;
        @Option(names = "--json", description = "Print the server's JSON.")
        boolean json;

        @Override
        public Integer call() {
            JsonNode job = server.client().call("GET", jobPath(id), null);
            if (json) {
                out().println(job);
            } else {
                print(out(), job);
            }
            return 0;
        }

        static void print(PrintWriter out, JsonNode job) {
            JsonNode c = job.get("counts");
            out.printf("job:       %s%n", job.get("id").asText());
            out.printf("status:    %s%n", job.get("status").asText());
            out.printf("urls:      %d total: %d completed (%d cached), %d failed, %d cancelled, %d queued, %d running%n",
                    c.get("total").asLong(), c.get("completed").asLong(), c.get("cached").asLong(),
                    c.get("failed").asLong(), c.get("cancelled").asLong(), c.get("queued").asLong(),
                    c.get("running").asLong());
            out.printf("created:   %s%n", job.get("created_at").asText());
            if (!job.path("finished_at").isNull()) {
                out.printf("finished:  %s%n", job.get("finished_at").asText());
            }
            if (job.hasNonNull("url")) {
                out.printf("url:       %s%n", job.get("url").asText());
                if (job.hasNonNull("http_status")) {
                    out.printf("http:      %d%s%n", job.get("http_status").asInt(),
                            job.path("cached").asBoolean() ? " (stored page reused)" : "");
                }
                if (job.hasNonNull("final_url")) {
                    out.printf("final url: %s%n", job.get("final_url").asText());
                }
                if (job.hasNonNull("title")) {
                    out.printf("title:     %s%n", job.get("title").asText());
                }
                if (job.hasNonNull("page_id")) {
                    out.printf("page:      %s (fetchq content %s)%n", job.get("page_id").asText(), job.get("page_id").asText());
                }
                if (job.hasNonNull("error")) {
                    out.printf("error:     %s: %s%n", job.get("error").path("reason").asText(),
                            job.get("error").path("message").asText());
                }
            }
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Cancel a job: its URLs not fetched yet are not fetched.", footer = {"", EXIT_CODES})
    static final class Cancel extends ClientCommand implements Callable<Integer> {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            JsonNode job = server.client().call("DELETE", jobPath(id), null);
            out().println(summary(job));
            return 0;
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true,
            description = "Fetch a job's failed URLs again.", footer = {"", EXIT_CODES})
    static final class Retry extends ClientCommand implements Callable<Integer> {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            JsonNode job = server.client().call("POST", jobPath(id) + "/retry", null);
            out().println("retrying: " + summary(job));
            return 0;
        }
    }

    // ---- results and content -----------------------------------------------------------------------

    enum Format { JSON, JSONL, CSV }

    static final List<String> CSV_COLUMNS = List.of("index", "url", "status", "http_status", "final_url", "title",
            "cached", "content_type", "page_id", "fetched_at", "attempts", "error_reason", "error_message");

    @Command(name = "results", mixinStandardHelpOptions = true,
            description = "Write every URL's result of a job, in submit order, as JSON (an array), JSON lines or CSV.",
            footer = {"", "CSV columns: " + "index, url, status, http_status, final_url, title, cached, content_type, "
                    + "page_id, fetched_at, attempts, error_reason, error_message (and text with --text).", "", EXIT_CODES})
    static final class Results extends ClientCommand implements Callable<Integer> {
        @Parameters(paramLabel = "ID")
        String id;
        @Option(names = "--format", defaultValue = "jsonl", paramLabel = "FORMAT",
                description = "json, jsonl or csv (default ${DEFAULT-VALUE}).")
        Format format;
        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of stdout.")
        Path output;
        @Option(names = "--text", description = "Include each page's main text (a text column in CSV).")
        boolean text;

        @Override
        public Integer call() throws IOException {
            ServerClient client = server.client();
            Writer w = output == null ? out() : Files.newBufferedWriter(output, StandardCharsets.UTF_8);
            long n = 0;
            try {
                String cursor = null;
                if (format == Format.JSON) {
                    w.write("[");
                } else if (format == Format.CSV) {
                    w.write(csvLine(text ? concat(CSV_COLUMNS, "text") : CSV_COLUMNS));
                }
                do {
                    JsonNode page = client.get(jobPath(id) + "/results?limit=1000"
                            + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)),
                            Duration.ofMinutes(1));
                    for (JsonNode r : page.get("results")) {
                        if (!text && r instanceof ObjectNode o) {
                            o.remove("text");
                        }
                        switch (format) {
                            case JSON -> w.write((n == 0 ? "\n" : ",\n") + r);
                            case JSONL -> w.write(r + "\n");
                            case CSV -> w.write(csvLine(csvRow(r, text)));
                        }
                        n++;
                    }
                    cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
                } while (cursor != null);
                if (format == Format.JSON) {
                    w.write(n == 0 ? "]\n" : "\n]\n");
                }
            } finally {
                if (output == null) {
                    w.flush();
                } else {
                    w.close();
                }
            }
            if (output != null) {
                out().println("wrote " + n + " result(s) to " + output);
            }
            return 0;
        }

        private static List<String> concat(List<String> a, String b) {
            List<String> out = new ArrayList<>(a);
            out.add(b);
            return out;
        }

        private static List<String> csvRow(JsonNode r, boolean text) {
            List<String> row = new ArrayList<>();
            for (String col : CSV_COLUMNS) {
                JsonNode v = switch (col) {
                    case "error_reason" -> r.path("error").path("reason");
                    case "error_message" -> r.path("error").path("message");
                    default -> r.path(col);
                };
                row.add(v.isMissingNode() || v.isNull() ? "" : v.asText());
            }
            if (text) {
                row.add(r.path("text").isNull() ? "" : r.path("text").asText(""));
            }
            return row;
        }
    }

    /** One RFC 4180 line: fields with a comma, quote or line break are quoted, quotes doubled. */
    static String csvLine(List<String> fields) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            String f = fields.get(i);
            if (i > 0) {
                s.append(',');
            }
            if (f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0) {
                s.append('"').append(f.replace("\"", "\"\"")).append('"');
            } else {
                s.append(f);
            }
        }
        return s.append("\r\n").toString();
    }

    @Command(name = "content", mixinStandardHelpOptions = true,
            description = "Write a stored page's content (the body as fetched, decoded) to stdout or a file.",
            footer = {"", EXIT_CODES})
    static final class Content extends ClientCommand implements Callable<Integer> {
        @Parameters(paramLabel = "PAGE_ID", description = "A page id, as results and status show it.")
        String pageId;
        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of stdout.")
        Path output;

        @Override
        public Integer call() throws IOException {
            byte[] body = server.client().bytes("/pages/" + URLEncoder.encode(pageId, StandardCharsets.UTF_8) + "/content");
            if (output != null) {
                Files.write(output, body);
                out().println("wrote " + body.length + " byte(s) to " + output);
            } else {
                out().flush();
                OutputStream stdout = System.out;
                stdout.write(body);
                stdout.flush();
            }
            return 0;
        }
    }

    // ---- dead letters and stats --------------------------------------------------------------------

    @Command(name = "dlq", mixinStandardHelpOptions = true,
            description = "The dead letters: jobs that used up their attempts (list, requeue).",
            subcommands = {DlqList.class, DlqRequeue.class})
    static final class Dlq implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "say what to do: 'fetchq dlq list' or 'fetchq dlq requeue'");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List dead letters, newest first.",
            footer = {"", EXIT_CODES})
    static final class DlqList extends ClientCommand implements Callable<Integer> {
        @Option(names = "--queue", paramLabel = "QUEUE", description = "Only this queue's (e.g. fetch, webhook).")
        String queue;
        @Option(names = "--limit", defaultValue = "50", description = "At most this many, 1-1000 (default ${DEFAULT-VALUE}).")
        int limit;
        @Option(names = "--json", description = "Print the server's JSON.")
        boolean json;

        @Override
        public Integer call() {
            String q = "/dead-letter?limit=" + limit + (queue == null ? "" : "&queue=" + URLEncoder.encode(queue, StandardCharsets.UTF_8));
            JsonNode page = server.client().call("GET", q, null);
            if (json) {
                out().println(page);
                return 0;
            }
            JsonNode dead = page.get("dead_letters");
            String format = "%-22s %-8s %8s  %-24s %-40s %s%n";
            out().printf(format, "ID", "QUEUE", "ATTEMPTS", "FAILED_AT", "URL", "ERROR");
            for (JsonNode d : dead) {
                out().printf(format, d.get("id").asText(), d.get("queue").asText(),
                        d.get("attempts").asInt() + "/" + d.get("max_attempts").asInt(), d.path("failed_at").asText(""),
                        d.path("url").isNull() ? "-" : d.path("url").asText(), clip(d.path("error").asText(""), 100));
            }
            if (dead.isEmpty()) {
                out().println("(no dead letters)");
            } else if (!page.get("next_cursor").isNull()) {
                out().println("(more: raise --limit)");
            }
            return 0;
        }
    }

    static String clip(String s, int max) {
        String one = s.replace('\n', ' ');
        return one.length() <= max ? one : one.substring(0, max - 1) + "…";
    }

    @Command(name = "requeue", mixinStandardHelpOptions = true,
            description = "Send dead letters back to their queue with fresh attempts: the ids given, or --all (of --queue).",
            footer = {"", EXIT_CODES})
    static final class DlqRequeue extends ClientCommand implements Callable<Integer> {
        @Parameters(paramLabel = "ID", arity = "0..*", description = "Dead letter ids (see 'fetchq dlq list').")
        List<String> ids = new ArrayList<>();
        @Option(names = "--all", description = "Every dead letter (of --queue, when given).")
        boolean all;
        @Option(names = "--queue", paramLabel = "QUEUE", description = "With --all: only this queue's.")
        String queue;

        @Override
        public Integer call() {
            if (all == !ids.isEmpty()) {
                throw new InvalidSettingsException("give dead letter ids or --all, not both and not neither");
            }
            if (queue != null && !all) {
                throw new InvalidSettingsException("--queue goes with --all");
            }
            Map<String, Object> body = new LinkedHashMap<>();
            if (all) {
                body.put("all", true);
                if (queue != null) {
                    body.put("queue", queue);
                }
            } else {
                body.put("ids", ids);
            }
            JsonNode r = server.client().call("POST", "/dead-letter/requeue", body);
            out().println("requeued " + r.get("requeued").asLong() + " dead letter(s)");
            if (!all && r.get("requeued").asLong() < ids.size()) {
                err().println("fetchq: " + (ids.size() - r.get("requeued").asLong())
                        + " id(s) were not requeued (not dead letters, or another job now holds their URL)");
                return Main.EXIT_FAILURE;
            }
            return 0;
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = "Show queue depth by state, recent throughput and the workers.", footer = {"", EXIT_CODES})
    static final class Stats extends ClientCommand implements Callable<Integer> {
        @Option(names = "--json", description = "Print the server's JSON.")
        boolean json;

        @Override
        public Integer call() {
            JsonNode s = server.client().call("GET", "/stats", null);
            if (json) {
                out().println(s);
                return 0;
            }
            PrintWriter out = out();
            String format = "%-24s %10s %10s %10s %10s %10s %10s %10s%n";
            out.printf(format, "QUEUE", "AVAILABLE", "SCHEDULED", "RUNNING", "RETRYABLE", "COMPLETED", "DEAD", "CANCELLED");
            s.get("queues").fields().forEachRemaining(e -> {
                JsonNode c = e.getValue();
                out.printf(format, e.getKey(), c.path("available").asLong(), c.path("scheduled").asLong(),
                        c.path("running").asLong(), c.path("retryable").asLong(), c.path("completed").asLong(),
                        c.path("dead").asLong(), c.path("cancelled").asLong());
            });
            if (s.get("queues").isEmpty()) {
                out.println("(no jobs)");
            }
            JsonNode t = s.get("throughput");
            out.printf("throughput: %.1f URLs/s completed, %.1f/s failed (last %ds, this node)%n",
                    t.path("urls_completed_per_s").asDouble(), t.path("urls_failed_per_s").asDouble(),
                    t.path("window_seconds").asInt());
            JsonNode node = s.get("node");
            out.printf("this node:  %s%n", node.path("workers_running").asBoolean()
                    ? "workers running (" + node.path("handlers_busy").asInt() + " busy), queues " + node.path("queues")
                    : "no workers (API only)");
            StringBuilder active = new StringBuilder();
            s.get("active_workers").fields().forEachRemaining(e -> active.append(active.isEmpty() ? "" : ", ")
                    .append(e.getKey()).append(": ").append(e.getValue().asInt()));
            out.printf("workers:    %s%n", active.isEmpty() ? "none holding jobs"
                    : active + " (running jobs of each worker holding some, all nodes)");
            return 0;
        }
    }
}
