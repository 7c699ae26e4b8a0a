package io.fetchq.http;

import io.javalin.http.Context;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Every request gets an id, echoed in {@code X-Request-Id} and named in its access log line and in any
 * problem it returns. A client's own {@code X-Request-Id} (up to 128 plain characters) is kept.
 */
final class RequestIds {
    static final String HEADER = "X-Request-Id";
    private static final String ATTRIBUTE = "fetchq.requestId";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private RequestIds() {
    }

    static String assign(Context ctx) {
        String given = ctx.header(HEADER);
        String id = given != null && given.length() <= 128 && given.chars().allMatch(c -> c > 32 && c < 127)
                ? given : fresh();
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(HEADER, id);
        return id;
    }

    /** 96 random bits, URL-safe: unique enough to find a request in the logs, and cheap (no SecureRandom). */
    static String fresh() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        byte[] b = new byte[12];
        long a = r.nextLong();
        int c = r.nextInt();
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (a >>> (8 * i));
        }
        for (int i = 0; i < 4; i++) {
            b[8 + i] = (byte) (c >>> (8 * i));
        }
        return ENCODER.encodeToString(b);
    }

    static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        return id == null ? assign(ctx) : id;
    }
}
