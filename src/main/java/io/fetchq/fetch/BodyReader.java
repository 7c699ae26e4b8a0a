package io.fetchq.fetch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.brotli.dec.BrotliInputStream;

/**
 * Reads a response body, undoing its Content-Encoding (gzip, deflate, br, in the order they were applied)
 * and counting the decoded bytes as they come: reading stops one byte past the cap, so neither a huge
 * page nor a decompression bomb can take more memory than the cap.
 */
final class BodyReader {
    private BodyReader() {
    }

    static byte[] read(InputStream raw, String contentEncoding, long cap) throws FetchException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(cap, 64 * 1024));
        byte[] buffer = new byte[16 * 1024];
        long total = 0;
        try {
            InputStream in = decoding(raw, contentEncoding); // a gzip stream reads its header here already
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > cap) {
                    throw new FetchException(FetchError.BODY_TOO_LARGE, "the body is larger than the " + cap
                            + "-byte cap" + (contentEncoding == null ? "" : " once decoded (" + contentEncoding + ")"));
                }
                out.write(buffer, 0, n);
            }
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new FetchException(FetchError.BAD_CONTENT_ENCODING, "the " + contentEncoding
                    + " body does not decode: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            if (fromBrotli(e)) {
                throw new FetchException(FetchError.BAD_CONTENT_ENCODING, "the br body does not decode", e);
            }
            throw e;
        }
        return out.toByteArray();
    }

    /** The brotli decoder reports corrupt input with its own exception types, raised from its own code. */
    private static boolean fromBrotli(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            StackTraceElement[] st = t.getStackTrace();
            if (t.getClass().getName().startsWith("org.brotli") || (st.length > 0 && st[0].getClassName().startsWith("org.brotli"))) {
                return true;
            }
        }
        return false;
    }

    private static InputStream decoding(InputStream raw, String contentEncoding) throws FetchException, IOException {
        if (contentEncoding == null || contentEncoding.isBlank()) {
            return raw;
        }
        List<String> codings = new ArrayList<>();
        for (String c : contentEncoding.split(",")) {
            String t = c.strip().toLowerCase(Locale.ROOT);
            if (!t.isEmpty() && !t.equals("identity")) {
                codings.add(t);
            }
        }
        InputStream in = raw;
        for (int i = codings.size() - 1; i >= 0; i--) {
            String c = codings.get(i);
            in = switch (c) {
                case "gzip", "x-gzip" -> new GZIPInputStream(in, 16 * 1024);
                case "deflate" -> inflating(in);
                case "br" -> new BrotliInputStream(in);
                default -> throw new FetchException(FetchError.BAD_CONTENT_ENCODING,
                        "Content-Encoding '" + c + "' is not supported");
            };
        }
        return in;
    }

    /** "deflate" is zlib-wrapped by the standard and raw by many servers: look at the first byte to tell. */
    private static InputStream inflating(InputStream in) throws IOException {
        PushbackInputStream p = new PushbackInputStream(in, 1);
        int first = p.read();
        if (first < 0) {
            return p;
        }
        p.unread(first);
        boolean zlib = (first & 0x0f) == 8;
        return new InflaterInputStream(p, new Inflater(!zlib), 16 * 1024);
    }
}
