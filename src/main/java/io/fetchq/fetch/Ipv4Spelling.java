package io.fetchq.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * How a host spells an address. inet_aton, which many resolvers and clients use, reads {@code 2130706433},
 * {@code 0x7f.1}, {@code 0177.0.0.1} and {@code 127.1} all as 127.0.0.1, while Java reads {@code 0177}
 * as decimal 177: such spellings are how SSRF filters get bypassed, so any numeric host that is not a
 * plain dotted quad counts as ambiguous.
 */
final class Ipv4Spelling {
    private Ipv4Spelling() {
    }

    /** @return true if {@code host} is a numeric IPv4 spelling other than canonical a.b.c.d */
    static boolean isAmbiguous(String host) {
        return parsesAsInetAton(host) && !isCanonicalDottedQuad(host);
    }

    /**
     * @return the address a host literal names (canonical dotted quad or IPv6), or null for a name that
     *         needs a lookup; never does a lookup itself
     */
    static InetAddress literal(String host) {
        try {
            if (isCanonicalDottedQuad(host)) {
                String[] p = host.split("\\.");
                return InetAddress.getByAddress(new byte[] {(byte) Integer.parseInt(p[0]), (byte) Integer.parseInt(p[1]),
                        (byte) Integer.parseInt(p[2]), (byte) Integer.parseInt(p[3])});
            }
            if (host.indexOf(':') >= 0 && host.matches("[0-9A-Fa-f:.%a-zA-Z]+")) {
                return InetAddress.getByName(host); // an IPv6 literal: parsed, not looked up
            }
        } catch (UnknownHostException | NumberFormatException e) {
            return null;
        }
        return null;
    }

    static boolean isCanonicalDottedQuad(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)
                    || (p.length() > 1 && p.charAt(0) == '0') || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    /** inet_aton: 1-4 parts, each decimal, octal (leading 0) or hex (0x); a trailing dot is tolerated. */
    static boolean parsesAsInetAton(String host) {
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (h.isEmpty()) {
            return false;
        }
        String[] parts = h.split("\\.", -1);
        if (parts.length > 4) {
            return false;
        }
        for (String p : parts) {
            if (!isNumber(p.toLowerCase(java.util.Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNumber(String p) {
        if (p.isEmpty()) {
            return false;
        }
        if (p.startsWith("0x")) {
            return p.length() > 2 && p.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0);
        }
        return p.chars().allMatch(Character::isDigit);
    }
}
