package io.fetchq.store;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Opaque, unguessable ids: 128 random bits, URL-safe base64 without padding (22 characters). The bits come
 * from a DRBG (NIST SP 800-90A) seeded once by the operating system, rather than the default NativePRNG,
 * which reads /dev/urandom on every call: a system call per enqueued job.
 */
public final class Ids {
    private static final SecureRandom RANDOM = drbg();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private Ids() {
    }

    private static SecureRandom drbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    /** @return a fresh lease token: 128 random bits as 32 hex digits */
    public static String newToken() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }

    /**
     * @return a fresh id: 128 random bits drawn again in the rare case (1 in 32) that the first character would
     *     be {@code -} or {@code _}, so an id given on a command line never looks like an option ({@code -x…})
     */
    public static String newId() {
        byte[] bytes = new byte[16];
        do {
            RANDOM.nextBytes(bytes);
        } while ((bytes[0] & 0xFF) >= 62 << 2); // the first character encodes the top 6 bits: 62 is '-', 63 '_'
        return ENCODER.encodeToString(bytes);
    }
}
