package io.fetchq.fetch;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mozilla.universalchardet.UniversalDetector;

/**
 * Decides how to decode a text body, in the order browsers do: a byte-order mark, the Content-Type
 * header's charset, a {@code <meta>} declaration in the first 4 KiB, statistical detection, then UTF-8.
 */
final class Charsets {
    private static final Pattern META_CHARSET = Pattern.compile(
            "<meta[^>]+charset\\s*=\\s*[\"']?\\s*([A-Za-z0-9._:-]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern HEADER_CHARSET = Pattern.compile("charset\\s*=\\s*\"?([^\";\\s]+)",
            Pattern.CASE_INSENSITIVE);

    record Detected(Charset charset, String source) {
    }

    private Charsets() {
    }

    static Detected detect(byte[] body, String contentTypeHeader, boolean html) {
        Charset bom = fromBom(body);
        if (bom != null) {
            return new Detected(bom, "bom");
        }
        Charset header = contentTypeHeader == null ? null : named(match(HEADER_CHARSET, contentTypeHeader));
        if (header != null) {
            return new Detected(header, "header");
        }
        if (html) {
            String head = new String(body, 0, Math.min(body.length, 4096), StandardCharsets.ISO_8859_1);
            Charset meta = named(match(META_CHARSET, head));
            if (meta != null) {
                // A page that declares UTF-16 in ASCII-compatible bytes is lying; browsers read it as UTF-8.
                return new Detected(meta.name().startsWith("UTF-16") ? StandardCharsets.UTF_8 : meta, "meta");
            }
        }
        Charset detected = detectStatistically(body);
        if (detected != null) {
            return new Detected(detected, "detected");
        }
        return new Detected(StandardCharsets.UTF_8, "default");
    }

    static String decode(byte[] body, Charset charset) {
        int skip = 0;
        if (charset.equals(StandardCharsets.UTF_8) && body.length >= 3 && (body[0] & 0xff) == 0xef
                && (body[1] & 0xff) == 0xbb && (body[2] & 0xff) == 0xbf) {
            skip = 3;
        } else if (charset.name().startsWith("UTF-16") && body.length >= 2
                && (((body[0] & 0xff) == 0xfe && (body[1] & 0xff) == 0xff) || ((body[0] & 0xff) == 0xff && (body[1] & 0xff) == 0xfe))) {
            skip = 2;
        }
        return new String(body, skip, body.length - skip, charset);
    }

    private static Charset fromBom(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf) {
            return StandardCharsets.UTF_8;
        }
        if (b.length >= 2 && (b[0] & 0xff) == 0xfe && (b[1] & 0xff) == 0xff) {
            return StandardCharsets.UTF_16BE;
        }
        if (b.length >= 2 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe) {
            return StandardCharsets.UTF_16LE;
        }
        return null;
    }

    private static Charset detectStatistically(byte[] body) {
        if (isAscii(body)) {
            return null; // nothing to tell: UTF-8 reads it right
        }
        UniversalDetector detector = new UniversalDetector();
        detector.handleData(body, 0, Math.min(body.length, 64 * 1024));
        detector.dataEnd();
        return named(detector.getDetectedCharset());
    }

    private static boolean isAscii(byte[] body) {
        int n = Math.min(body.length, 64 * 1024);
        for (int i = 0; i < n; i++) {
            if (body[i] < 0) {
                return false;
            }
        }
        return true;
    }

    private static String match(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? m.group(1) : null;
    }

    private static Charset named(String name) {
        if (name == null) {
            return null;
        }
        String n = name.strip().toLowerCase(Locale.ROOT);
        // The WHATWG encoding standard reads these labels as their supersets.
        n = switch (n) {
            case "iso-8859-1", "latin1", "us-ascii", "ascii" -> "windows-1252";
            case "gb2312" -> "gbk";
            default -> n;
        };
        try {
            return Charset.isSupported(n) ? Charset.forName(n) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
