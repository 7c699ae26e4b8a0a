package io.fetchq.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The server's own {@code openapi.json}, used by tests to check every real response: its path and method
 * must be in the spec, its status must be declared for that operation, and its JSON body must match the
 * declared schema (JSON Schema 2020-12, as OpenAPI 3.1 says). Operations seen are recorded, so a test can
 * assert that every one was exercised.
 */
final class OpenApiSpec {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final OpenApiSpec INSTANCE = load();

    private final JsonNode spec;
    private final Map<String, Pattern> templates = new ConcurrentHashMap<>();
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    private OpenApiSpec(JsonNode spec) {
        this.spec = spec;
        for (Iterator<String> it = spec.get("paths").fieldNames(); it.hasNext(); ) {
            String t = it.next();
            templates.put(t, Pattern.compile(t.replaceAll("\\{[^/]+}", "[^/]+")));
        }
    }

    private static OpenApiSpec load() {
        try (InputStream in = OpenApiSpec.class.getClassLoader().getResourceAsStream("openapi.json")) {
            return new OpenApiSpec(JSON.readTree(in));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    JsonNode spec() {
        return spec;
    }

    /** Every {@code METHOD template} the spec declares. */
    Set<String> operations() {
        Set<String> ops = new java.util.TreeSet<>();
        spec.get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> {
            if (!m.equals("parameters")) {
                ops.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey());
            }
        }));
        return ops;
    }

    Set<String> seen() {
        return Set.copyOf(seen);
    }

    /** Fails the test when the response does not match the spec. */
    void check(String method, String path, int status, String contentType, String body) {
        String template = templateOf(path);
        if (template == null) {
            if (status == 404 || status == 405) {
                assertProblem(method, path, status, contentType, body);
                return;
            }
            fail("%s %s answered %d but the spec has no such path", method, path, status);
        }
        JsonNode op = spec.get("paths").get(template).get(method.toLowerCase(Locale.ROOT));
        if (op == null) {
            if (status == 405) {
                assertProblem(method, path, status, contentType, body);
                return;
            }
            fail("%s %s answered %d but the spec has no %s operation on %s", method, path, status, method, template);
        }
        seen.add(method.toUpperCase(Locale.ROOT) + " " + template);
        JsonNode response = op.get("responses").get(String.valueOf(status));
        if (response == null) {
            fail("%s %s answered %d, which the spec does not declare for it (declared: %s); body: %s", method, path, status,
                    op.get("responses").properties().stream().map(Map.Entry::getKey).toList(), body);
        }
        JsonNode content = response.get("content");
        if (content == null) {
            return;
        }
        String mime = contentType == null ? "" : contentType.split(";", 2)[0].strip();
        JsonNode media = content.get(mime);
        if (media == null && content.has("*/*")) {
            return;
        }
        assertThat(media).as("%s %s %d: content type %s is not declared (declared: %s)", method, path, status, contentType,
                content.properties().stream().map(Map.Entry::getKey).toList()).isNotNull();
        if (mime.endsWith("json")) {
            validate(method + " " + path + " " + status, media.get("schema"), body);
        }
    }

    private void assertProblem(String method, String path, int status, String contentType, String body) {
        assertThat(contentType).as("%s %s %d", method, path, status).startsWith("application/problem+json");
        validate(method + " " + path + " " + status, JSON.createObjectNode().put("$ref", "#/components/schemas/Problem"), body);
    }

    private String templateOf(String path) {
        String p = path.split("\\?", 2)[0];
        if (spec.get("paths").has(p)) {
            return p;
        }
        // A literal segment wins over a parameter: /queues/{name}/messages/delete before .../{receipt}
        return templates.entrySet().stream().filter(e -> e.getValue().matcher(p).matches()).map(Map.Entry::getKey)
                .min(java.util.Comparator.comparingLong((String t) -> t.chars().filter(c -> c == '{').count())
                        .thenComparing(java.util.Comparator.naturalOrder()))
                .orElse(null);
    }

    private void validate(String what, JsonNode schemaNode, String body) {
        Schema schema = schemas.computeIfAbsent(schemaNode.toString(), k -> {
            ObjectNode doc = ((ObjectNode) schemaNode.deepCopy());
            doc.put("$schema", "https://json-schema.org/draft/2020-12/schema");
            doc.set("components", spec.get("components"));
            return registry.getSchema(doc.toString());
        });
        JsonNode instance;
        try {
            instance = JSON.readTree(body);
        } catch (IOException e) {
            fail("%s: the body is not JSON: %s", what, body);
            return;
        }
        List<Error> errors = schema.validate(instance);
        assertThat(errors).as("%s: the body does not match the spec:%n%s", what, clip(body)).isEmpty();
    }

    private static String clip(String s) {
        return s.length() > 2000 ? s.substring(0, 2000) + "…" : s;
    }
}
