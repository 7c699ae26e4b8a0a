package io.fetchq.scrape;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fetchq.fetch.FetchResponse;
import io.fetchq.fetch.HtmlExtract;
import io.fetchq.store.Ids;
import io.fetchq.store.Page;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Turns a response into the {@link Page} that is stored: the body gzip-compressed (at the fastest level:
 * it is written once per fetch), its sha256, and for HTML the title and body text.
 */
public final class PageBuilder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PageBuilder() {
    }

    public static Page build(String canonicalUrl, FetchResponse r) {
        String title = null;
        String text = null;
        String decoded = r.text();
        if (decoded != null && r.isHtml()) {
            HtmlExtract.Extracted e = HtmlExtract.extract(decoded, r.finalUrl());
            title = e.title();
            text = e.text();
        } else if (decoded != null && r.contentType().startsWith("text/")) {
            text = decoded;
        }
        return new Page(Ids.newId(), canonicalUrl, r.status(), r.finalUrl(), headersJson(r), r.contentType(),
                r.charset() == null ? null : r.charset().name(), gzip(r.body()), r.body().length, sha256(r.body()), title,
                text, r.headers().get("etag"), r.headers().get("last-modified"), null);
    }

    static String headersJson(FetchResponse r) {
        try {
            return JSON.writeValueAsString(r.headers());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, body.length / 3));
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            gz.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** @return the decoded body of a stored page */
    public static byte[] gunzip(byte[] stored) {
        if (stored == null) {
            return new byte[0];
        }
        try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(stored))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
