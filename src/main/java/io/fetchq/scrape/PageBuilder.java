package io.fetchq.scrape;

import com.github.luben.zstd.Zstd;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fetchq.fetch.FetchResponse;
import io.fetchq.fetch.HtmlExtract;
import io.fetchq.store.Ids;
import io.fetchq.store.Page;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/**
 * Turns a response into the {@link Page} that is stored: the body compressed with zstd (level 1: about three
 * times faster than gzip's fastest level on HTML, and smaller), its sha256, and for HTML the title and body
 * text. {@link #decompress} also reads gzip, which pages were stored in before.
 */
public final class PageBuilder {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ZSTD_LEVEL = 1;

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
                r.charset() == null ? null : r.charset().name(), compress(r.body()), r.body().length, sha256(r.body()), title,
                text, r.headers().get("etag"), r.headers().get("last-modified"), null);
    }

    static String headersJson(FetchResponse r) {
        try {
            return JSON.writeValueAsString(r.headers());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] compress(byte[] body) {
        return Zstd.compress(body, ZSTD_LEVEL);
    }

    /** @return the decoded body of a stored page (zstd, or gzip for pages stored before zstd) */
    public static byte[] decompress(byte[] stored) {
        if (stored == null || stored.length == 0) {
            return new byte[0];
        }
        if (stored.length >= 2 && (stored[0] & 0xff) == 0x1f && (stored[1] & 0xff) == 0x8b) {
            try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(stored))) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        long size = Zstd.getFrameContentSize(stored);
        if (size < 0 || size > Integer.MAX_VALUE) {
            throw new IllegalStateException("a stored page body is not a zstd frame with a known size");
        }
        return Zstd.decompress(stored, (int) size);
    }

    static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
