package io.fetchq.fetch;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The HTTP fetcher, on OkHttp (HTTP/1.1 and HTTP/2, connection pooling). OkHttp is used because its DNS
 * step and socket factory can be replaced: every address a host resolves to, and the one actually
 * connected to, pass the {@link AddressPolicy}. Redirects are followed here, not by the client, so each
 * hop is checked again, loops are caught, and credentials are dropped when the host changes. Bodies are
 * decoded (gzip, deflate, br) and capped while they are read; the whole fetch, redirects included, has one
 * time budget. No proxy is ever used: a proxy would resolve names out of the guard's sight.
 */
public final class HttpFetcher implements Fetcher {
    private static final Set<String> KEPT_HEADERS = Set.of("content-type", "content-length", "content-language",
            "etag", "last-modified", "cache-control", "expires", "date", "server", "retry-after", "location",
            "x-robots-tag", "link");
    private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "cookie", "proxy-authorization");

    private final FetchSettings settings;
    private final OkHttpClient client;

    /** Where a request records when it was written out (its real start: connection set-up done, bytes sent). */
    private static final class SentAt {
        volatile long nanos;
    }

    private static final okhttp3.EventListener SENT_AT = new okhttp3.EventListener() {
        @Override
        public void requestHeadersEnd(Call call, Request request) {
            SentAt s = call.request().tag(SentAt.class);
            if (s != null && s.nanos == 0) {
                s.nanos = System.nanoTime();
            }
        }
    };

    public HttpFetcher(FetchSettings settings) {
        this.settings = settings;
        OkHttpClient.Builder b = new OkHttpClient.Builder()
                .eventListenerFactory(call -> SENT_AT)
                .dns(new GuardedDns(settings.resolver(), settings.addressPolicy()))
                .socketFactory(new GuardedSocketFactory(settings.addressPolicy()))
                .proxy(Proxy.NO_PROXY)
                .followRedirects(false)
                .followSslRedirects(false)
                .connectTimeout(settings.connectTimeout())
                .readTimeout(settings.readTimeout())
                .writeTimeout(settings.readTimeout())
                .protocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1))
                .connectionPool(new ConnectionPool(settings.maxIdleConnections(), 5, TimeUnit.MINUTES));
        if (settings.trust() != null) {
            b.sslSocketFactory(settings.trust().socketFactory(), settings.trust().trustManager());
        }
        this.client = b.build();
    }

    public FetchSettings settings() {
        return settings;
    }

    @Override
    public FetchResponse fetch(FetchRequest request) throws FetchException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + settings.totalTimeout().toNanos();
        HttpUrl url = parse(request.url());
        String originalHost = url.host();
        Map<String, String> headers = new LinkedHashMap<>(request.headers());
        List<String> redirects = new ArrayList<>();
        SentAt sentAt = new SentAt();
        Set<String> seen = new HashSet<>();
        seen.add(url.toString());
        for (int hop = 0; ; hop++) {
            check(url);
            if (!url.host().equals(originalHost)) {
                headers.keySet().removeIf(h -> CREDENTIAL_HEADERS.contains(h.toLowerCase(Locale.ROOT)));
            }
            Request.Builder rb = new Request.Builder().url(url).tag(SentAt.class, sentAt)
                    .header("User-Agent", settings.userAgent())
                    .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
                    .header("Accept-Encoding", "gzip, deflate, br");
            headers.forEach(rb::header);
            if (request.isPost()) {
                rb.post(okhttp3.RequestBody.create(request.body() == null ? new byte[0] : request.body(),
                        okhttp3.MediaType.parse(request.contentType() == null ? "application/octet-stream" : request.contentType())));
            }
            if (hop == 0 && request.ifNoneMatch() != null) {
                rb.header("If-None-Match", request.ifNoneMatch());
            }
            if (hop == 0 && request.ifModifiedSince() != null) {
                rb.header("If-Modified-Since", request.ifModifiedSince());
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new FetchException(FetchError.TIMEOUT, "the fetch took longer than " + seconds(settings.totalTimeout()));
            }
            Call call = client.newCall(rb.build());
            call.timeout().timeout(left, TimeUnit.NANOSECONDS);
            try (Response response = call.execute()) {
                String location = response.header("Location");
                if (isRedirect(response.code()) && location != null && !request.isPost()) {
                    HttpUrl next = url.resolve(location);
                    if (next == null) {
                        throw new FetchException(FetchError.INVALID_URL, "redirect " + (hop + 1) + " points to an invalid URL: "
                                + abbreviate(location));
                    }
                    if (hop + 1 > settings.maxRedirects()) {
                        throw new FetchException(FetchError.TOO_MANY_REDIRECTS, "more than " + settings.maxRedirects()
                                + " redirects, the last to " + next);
                    }
                    if (!seen.add(next.toString())) {
                        throw new FetchException(FetchError.REDIRECT_LOOP, "redirects loop back to " + next);
                    }
                    redirects.add(next.toString());
                    url = next;
                    continue;
                }
                return toResponse(response, url, redirects, start, sentAt.nanos);
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("fetch of " + url + " interrupted");
                }
                throw classify(e, url, deadline);
            }
        }
    }

    private FetchResponse toResponse(Response response, HttpUrl url, List<String> redirects, long start, long sentNanos)
            throws FetchException, IOException {
        Map<String, String> kept = new LinkedHashMap<>();
        for (String name : response.headers().names()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (KEPT_HEADERS.contains(lower)) {
                kept.put(lower, String.join(", ", response.headers(name)));
            }
        }
        boolean notModified = response.code() == 304;
        ResponseBody body = response.body();
        byte[] bytes = notModified ? new byte[0]
                : BodyReader.read(body.byteStream(), response.header("Content-Encoding"), settings.maxBodyBytes());
        String contentTypeHeader = response.header("Content-Type");
        String mediaType = mediaType(contentTypeHeader, bytes);
        Charsets.Detected cs = isText(mediaType) ? Charsets.detect(bytes, contentTypeHeader, mediaType.contains("html"))
                : null;
        return new FetchResponse(response.code(), url.toString(), List.copyOf(redirects), kept, mediaType,
                cs == null ? null : cs.charset(), cs == null ? null : cs.source(), bytes, notModified,
                retryAfter(response.header("Retry-After")), Duration.ofNanos(System.nanoTime() - start),
                response.protocol().toString(), sentNanos);
    }

    private HttpUrl parse(String raw) throws FetchException {
        HttpUrl url = HttpUrl.parse(raw);
        if (url == null) {
            String scheme = raw.contains(":") ? raw.substring(0, raw.indexOf(':')).toLowerCase(Locale.ROOT) : "";
            if (!scheme.isEmpty() && !scheme.equals("http") && !scheme.equals("https") && scheme.matches("[a-z][a-z0-9+.-]*")) {
                throw new FetchException(FetchError.BLOCKED_ADDRESS, "only http and https are fetched, not " + scheme);
            }
            throw new FetchException(FetchError.INVALID_URL, "not an http(s) URL: " + abbreviate(raw));
        }
        return url;
    }

    private void check(HttpUrl url) throws FetchException {
        Optional<String> why = settings.addressPolicy().refuseUrl(url.scheme(), url.host(), url.port());
        if (why.isPresent()) {
            throw new FetchException(FetchError.BLOCKED_ADDRESS, why.get());
        }
    }

    private FetchException classify(IOException e, HttpUrl url, long deadline) {
        BlockedAddressException blocked = find(e, BlockedAddressException.class);
        if (blocked != null) {
            return new FetchException(FetchError.BLOCKED_ADDRESS, blocked.getMessage(), e);
        }
        if (e instanceof SocketTimeoutException || (e instanceof InterruptedIOException && System.nanoTime() >= deadline)
                || "timeout".equals(e.getMessage())) {
            return new FetchException(FetchError.TIMEOUT, "timed out fetching " + url + " (" + e.getMessage() + ")", e);
        }
        if (find(e, UnknownHostException.class) != null) {
            return new FetchException(FetchError.DNS_FAILURE, "cannot resolve " + url.host(), e);
        }
        if (find(e, ConnectException.class) != null) {
            return new FetchException(FetchError.CONNECTION_FAILED, "cannot connect to " + url.host() + ":" + url.port()
                    + " (" + e.getMessage() + ")", e);
        }
        if (find(e, SSLException.class) != null) {
            return new FetchException(FetchError.TLS_ERROR, "TLS failed with " + url.host() + ": " + e.getMessage(), e);
        }
        return new FetchException(FetchError.NETWORK_ERROR, e.getClass().getSimpleName() + " fetching " + url
                + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
    }

    /** Finds an exception of the type in the cause chain or among suppressed ones (the client collects route failures). */
    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            for (Throwable s : t.getSuppressed()) {
                T found = find(s, type);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    static boolean isRedirect(int code) {
        return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
    }

    static String mediaType(String contentType, byte[] body) {
        if (contentType == null || contentType.isBlank()) {
            return looksLikeHtml(body) ? "text/html" : "application/octet-stream";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    private static boolean looksLikeHtml(byte[] body) {
        int i = 0;
        while (i < body.length && i < 512 && (Character.isWhitespace(body[i]) || (body[i] & 0xff) >= 0xef)) {
            i++;
        }
        return i < body.length && body[i] == '<';
    }

    static boolean isText(String mediaType) {
        return mediaType.startsWith("text/") || mediaType.endsWith("+xml") || mediaType.endsWith("+json")
                || mediaType.equals("application/json") || mediaType.equals("application/xml")
                || mediaType.equals("application/javascript") || mediaType.equals("application/xhtml+xml");
    }

    /** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        try {
            long s = Long.parseLong(v);
            return s < 0 ? null : Duration.ofSeconds(s);
        } catch (NumberFormatException e) {
            try {
                Duration d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 197) + "...";
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
