package io.fetchq.http;

import io.fetchq.store.Ids;
import io.javalin.http.Context;

/**
 * Every request gets an id, echoed in {@code X-Request-Id} and named in its access log line and in any
 * problem it returns. A client's own {@code X-Request-Id} (up to 128 plain characters) is kept.
 */
final class RequestIds {
    static final String HEADER = "X-Request-Id";
    private static final String ATTRIBUTE = "fetchq.requestId";

    private RequestIds() {
    }

    static String assign(Context ctx) {
        String given = ctx.header(HEADER);
        String id = given != null && given.length() <= 128 && given.chars().allMatch(c -> c > 32 && c < 127)
                ? given : Ids.newId();
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(HEADER, id);
        return id;
    }

    static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        return id == null ? assign(ctx) : id;
    }
}
