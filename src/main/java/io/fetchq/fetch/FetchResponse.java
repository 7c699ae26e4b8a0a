package io.fetchq.fetch;

import java.nio.charset.Charset;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a fetch brought back after following redirects: the last response's status, where it ended up, the
 * headers worth keeping, the decoded body (never larger than the configured cap), and for text the
 * charset it was decoded with and where that charset came from.
 *
 * @param contentType   the media type without parameters, lower-cased ({@code text/html})
 * @param charset       null for content that is not text
 * @param charsetSource {@code bom}, {@code header}, {@code meta}, {@code detected} or {@code default}
 * @param notModified   a revalidation answered 304: the stored page is still current
 * @param retryAfter    the server's Retry-After, if it sent one
 * @param protocol      what the last response came over: {@code http/1.1} or {@code h2}
 * @param sentAtNanos   {@link System#nanoTime()} when the first request had been written out
 */
public record FetchResponse(
        int status,
        String finalUrl,
        List<String> redirects,
        Map<String, String> headers,
        String contentType,
        Charset charset,
        String charsetSource,
        byte[] body,
        boolean notModified,
        Duration retryAfter,
        Duration elapsed,
        String protocol,
        long sentAtNanos) {

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    public boolean isHtml() {
        return contentType.equals("text/html") || contentType.equals("application/xhtml+xml");
    }

    /** @return the body as text in its charset (without a byte-order mark), or null for non-text content */
    public String text() {
        if (charset == null) {
            return null;
        }
        return Charsets.decode(body, charset);
    }
}
