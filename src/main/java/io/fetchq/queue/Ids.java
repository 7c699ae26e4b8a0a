package io.fetchq.queue;

import java.security.SecureRandom;
import java.util.Base64;

/** Opaque, unguessable ids: 128 random bits, URL-safe base64 without padding (22 characters). */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private Ids() {
    }

    public static String newId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return ENCODER.encodeToString(bytes);
    }
}
