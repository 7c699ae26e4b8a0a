package io.fetchq.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Set;

/**
 * Reads a request's JSON body strictly (content type, size, syntax, duplicate keys, trailing data) and
 * reads its fields with errors that name them: {@code `priority` must be an integer between 1 and 10, got "high"}.
 */
final class JsonBody {
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    private JsonBody() {
    }

    /** The raw body, after checking its content type and size. */
    static byte[] bytes(Context ctx, long maxBytes) {
        String type = ctx.contentType();
        String mime = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        if (!mime.equals("application/json") && !mime.endsWith("+json")) {
            throw new ApiProblem(415, type == null || type.isBlank()
                    ? "send the body as JSON with Content-Type: application/json"
                    : "Content-Type " + type + " is not accepted here; send application/json");
        }
        long declared = ctx.contentLength();
        if (declared > maxBytes) {
            throw new ApiProblem(413, "the request body has " + declared + " bytes; this server accepts at most " + maxBytes);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body.length > maxBytes) {
                throw new ApiProblem(413, "the request body is larger than the " + maxBytes + " bytes this server accepts");
            }
            return body;
        } catch (IOException e) {
            throw new ApiProblem(400, "the request body could not be read: " + e.getMessage());
        }
    }

    /** Parses {@code body} as one JSON object. */
    static JsonNode object(byte[] body) {
        if (body.length == 0) {
            throw new ApiProblem(400, "the request body is empty; send a JSON object");
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonParseException e) {
            throw new ApiProblem(400, "the body is not valid JSON: " + e.getOriginalMessage() + location(e));
        } catch (JsonProcessingException e) {
            throw new ApiProblem(400, "the body is not valid JSON: " + e.getOriginalMessage() + location(e));
        } catch (IOException e) {
            throw new ApiProblem(400, "the body could not be read as JSON: " + e.getMessage());
        }
        if (node == null || node.isMissingNode()) {
            throw new ApiProblem(400, "the request body is empty; send a JSON object");
        }
        if (!node.isObject()) {
            throw new ApiProblem(400, "the body must be a JSON object, got " + kind(node));
        }
        return node;
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    /** Refuses fields not in {@code allowed}, naming them and the allowed ones. */
    static void onlyFields(JsonNode object, String where, Set<String> allowed) {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                String field = where.isEmpty() ? f : where + "." + f;
                throw ApiProblem.badField(field, "is not a known field; known: " + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    static Integer optInt(JsonNode object, String name, String field, int min, int max) {
        JsonNode v = object.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            throw ApiProblem.badField(field, "must be an integer between " + min + " and " + max + ", got " + shown(v));
        }
        return v.intValue();
    }

    static Long optLong(JsonNode object, String name, String field, long min, long max) {
        JsonNode v = object.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            throw ApiProblem.badField(field, "must be an integer between " + min + " and " + max + ", got " + shown(v));
        }
        return v.longValue();
    }

    static String optString(JsonNode object, String name, String field) {
        JsonNode v = object.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiProblem.badField(field, "must be a string, got " + kind(v));
        }
        return v.textValue();
    }

    static Boolean optBoolean(JsonNode object, String name, String field) {
        JsonNode v = object.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw ApiProblem.badField(field, "must be true or false, got " + shown(v));
        }
        return v.booleanValue();
    }

    /** A JSON object field, as compact JSON text. */
    static String optObjectJson(JsonNode object, String name, String field) {
        JsonNode v = object.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw ApiProblem.badField(field, "must be a JSON object, got " + kind(v));
        }
        return v.toString();
    }

    static String kind(JsonNode v) {
        return switch (v.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> "a " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String shown(JsonNode v) {
        String s = v.toString();
        return s.length() > 40 ? kind(v) : s;
    }
}
