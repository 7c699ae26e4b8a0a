package io.fetchq.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchq.testing.TestSite;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.Protocol;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP fetcher against real servers on 127.0.0.1: what it sends, follows, decodes and refuses. */
class HttpFetcherTest {
    /** Names the tests resolve without DNS. */
    static HostResolver stub(Map<String, List<String>> names) {
        return host -> {
            List<String> addresses = names.get(host);
            if (addresses == null) {
                throw new UnknownHostException(host);
            }
            List<InetAddress> out = new java.util.ArrayList<>();
            for (String a : addresses) {
                out.add(InetAddress.getByName(a));
            }
            return out;
        };
    }

    private final TestSite site = new TestSite();
    private final AddressPolicy loopbackOnly = AddressPolicy.strict().allowNetwork("127.0.0.1/32").allowAnyPort();
    private HttpFetcher fetcher = fetcher(FetchSettings.defaults("test").withAddressPolicy(loopbackOnly)
            .withResolver(stub(Map.of("localhost", List.of("127.0.0.1"), "metadata.test", List.of("169.254.169.254")))));

    private static HttpFetcher fetcher(FetchSettings settings) {
        return new HttpFetcher(settings);
    }

    @AfterEach
    void close() {
        fetcher.close();
        site.close();
    }

    @Test
    void fetchesAPageWithItsStatusTypeCharsetHeadersAndOurUserAgent() throws Exception {
        site.route("/p", ex -> {
            ex.getResponseHeaders().add("ETag", "\"v1\"");
            ex.getResponseHeaders().add("Last-Modified", "Tue, 01 Jan 2030 00:00:00 GMT");
            ex.getResponseHeaders().add("Set-Cookie", "secret=1");
            TestSite.send(ex, 200, "text/html; charset=UTF-8", "<title>Hi</title><p>é</p>");
        });

        FetchResponse r = fetcher.fetch(FetchRequest.get(site.url("/p")));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.finalUrl()).isEqualTo(site.url("/p"));
        assertThat(r.contentType()).isEqualTo("text/html");
        assertThat(r.charset()).isEqualTo(StandardCharsets.UTF_8);
        assertThat(r.charsetSource()).isEqualTo("header");
        assertThat(r.text()).isEqualTo("<title>Hi</title><p>é</p>");
        assertThat(r.headers()).containsEntry("etag", "\"v1\"").containsKey("last-modified").doesNotContainKey("set-cookie");
        assertThat(r.redirects()).isEmpty();
        assertThat(r.protocol()).isEqualTo("http/1.1");
        assertThat(site.seen("/p").get(0).header("User-Agent")).isEqualTo("fetchq/test (+https://github.com/fetchq/fetchq)");
        assertThat(site.seen("/p").get(0).header("Accept-Encoding")).isEqualTo("gzip, deflate, br");
    }

    @Test
    void errorStatusesAreResponsesNotFailures() throws Exception {
        site.page("/missing", 404, "text/html", "<h1>not here</h1>").page("/broken", 500, "text/plain", "oops");

        assertThat(fetcher.fetch(FetchRequest.get(site.url("/missing"))).status()).isEqualTo(404);
        assertThat(fetcher.fetch(FetchRequest.get(site.url("/broken"))).status()).isEqualTo(500);
    }

    @Test
    void redirectChainsWithRelativeLocationsAreFollowedToTheEnd() throws Exception {
        site.redirect("/a", 301, "/b").redirect("/b", 302, "c").redirect("/c", 307, site.url("/d")).html("/d", "<p>end</p>");

        FetchResponse r = fetcher.fetch(FetchRequest.get(site.url("/a")));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.finalUrl()).isEqualTo(site.url("/d"));
        assertThat(r.redirects()).containsExactly(site.url("/b"), site.url("/c"), site.url("/d"));
    }

    @Test
    void redirectLoopsAndEndlessChainsFailWithTheirReason() {
        site.redirect("/x", 302, "/y").redirect("/y", 302, "/x");
        for (int i = 0; i < 12; i++) {
            site.redirect("/hop" + i, 302, "/hop" + (i + 1));
        }

        assertFails(() -> fetcher.fetch(FetchRequest.get(site.url("/x"))), FetchError.REDIRECT_LOOP, "loop back to");
        assertFails(() -> fetcher.fetch(FetchRequest.get(site.url("/hop0"))), FetchError.TOO_MANY_REDIRECTS, "more than 10");
    }

    @Test
    void credentialsAreDroppedWhenARedirectChangesHostAndKeptWhenItDoesNot() throws Exception {
        site.redirect("/same", 302, "/same-target").html("/same-target", "ok")
                .redirect("/other", 302, "http://localhost:" + site.port() + "/other-target").html("/other-target", "ok");
        Map<String, String> creds = Map.of("Authorization", "Bearer s3cret", "Cookie", "a=b", "X-Trace", "t1");

        fetcher.fetch(new FetchRequest(site.url("/same"), null, null, creds));
        fetcher.fetch(new FetchRequest(site.url("/other"), null, null, creds));

        TestSite.Seen same = site.seen("/same-target").get(0);
        TestSite.Seen other = site.seen("/other-target").get(0);
        assertThat(same.header("Authorization")).isEqualTo("Bearer s3cret");
        assertThat(other.header("Authorization")).isNull();
        assertThat(other.header("Cookie")).isNull();
        assertThat(other.header("X-Trace")).isEqualTo("t1");
    }

    @Test
    void everyRedirectHopIsCheckedAgainstTheAddressPolicy() {
        site.redirect("/to-metadata", 302, "http://169.254.169.254/latest/meta-data/")
                .redirect("/to-name", 302, "http://metadata.test/")
                .redirect("/to-file", 302, "file:///etc/passwd");

        assertFails(() -> fetcher.fetch(FetchRequest.get(site.url("/to-metadata"))), FetchError.BLOCKED_ADDRESS, "link-local");
        assertFails(() -> fetcher.fetch(FetchRequest.get(site.url("/to-name"))), FetchError.BLOCKED_ADDRESS, "169.254.169.254");
        assertThat(catchFetch(() -> fetcher.fetch(FetchRequest.get(site.url("/to-file")))).error())
                .isIn(FetchError.BLOCKED_ADDRESS, FetchError.INVALID_URL);
    }

    @Test
    @Timeout(20)
    void aSlowDripIsCutOffAtTheTotalTimeout() {
        site.route("/drip", ex -> {
            ex.getResponseHeaders().add("Content-Type", "text/html");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 200; i++) {
                    out.write('x');
                    out.flush();
                    Thread.sleep(50); // the server drips one byte every 50 ms, never tripping the read timeout
                }
            } catch (InterruptedException | IOException e) {
                // the client hung up
            }
        });
        fetcher.close();
        fetcher = fetcher(FetchSettings.defaults("test").withAddressPolicy(loopbackOnly)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMillis(1500)));

        long t0 = System.nanoTime();
        assertFails(() -> fetcher.fetch(FetchRequest.get(site.url("/drip"))), FetchError.TIMEOUT, "");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aBodyOverTheCapIsRefusedWhileReading() {
        site.page("/big", 200, "text/html", "x".repeat(5000));
        fetcher.close();
        fetcher = fetcher(FetchSettings.defaults("test").withAddressPolicy(loopbackOnly).withMaxBodyBytes(1000));

        assertFails(() -> fetcher.fetch(FetchRequest.get(site.url("/big"))), FetchError.BODY_TOO_LARGE, "1000-byte cap");
    }

    @Test
    void aGzipBombStopsAtTheCapOfDecodedBytes() throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(wire)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 200; i++) {
                gz.write(zeros); // 200 MiB of zeros, about 200 KiB on the wire
            }
        }
        byte[] bomb = wire.toByteArray();
        site.route("/bomb", ex -> {
            ex.getResponseHeaders().add("Content-Encoding", "gzip");
            TestSite.send(ex, 200, "text/html", bomb);
        });

        assertThat(bomb.length).isLessThan(1 << 20);
        assertFails(() -> fetcher.fetch(FetchRequest.get(site.url("/bomb"))), FetchError.BODY_TOO_LARGE, "once decoded");
    }

    @Test
    void gzipDeflateAndBrotliBodiesAreDecoded() throws Exception {
        String html = "<html><head><title>Brotli page</title></head><body><p>decoded from br</p></body></html>";
        site.route("/gzip", ex -> encoded(ex, "gzip", gzip(html)))
                .route("/deflate-zlib", ex -> encoded(ex, "deflate", deflate(html, false)))
                .route("/deflate-raw", ex -> encoded(ex, "deflate", deflate(html, true)))
                .route("/br", ex -> encoded(ex, "br", Base64.getDecoder().decode(
                        "G1YAyEQ3l6qhGcpYMEVR+MFzEcEhBy5Rht/yIwc7YO/Js0zb4Owr9hCBNn/rCtQ1YB+IZiRsLMbhA21mAQ==")))
                .route("/corrupt", ex -> encoded(ex, "gzip", "not gzip at all".getBytes(StandardCharsets.US_ASCII)))
                .route("/zstd", ex -> encoded(ex, "zstd", new byte[] {1, 2, 3}));

        for (String path : List.of("/gzip", "/deflate-zlib", "/deflate-raw", "/br")) {
            assertThat(fetcher.fetch(FetchRequest.get(site.url(path))).text()).as(path).isEqualTo(html);
        }
        assertFails(() -> fetcher.fetch(FetchRequest.get(site.url("/corrupt"))), FetchError.BAD_CONTENT_ENCODING, "gzip");
        assertFails(() -> fetcher.fetch(FetchRequest.get(site.url("/zstd"))), FetchError.BAD_CONTENT_ENCODING, "zstd");
    }

    private static void encoded(com.sun.net.httpserver.HttpExchange ex, String encoding, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Encoding", encoding);
        TestSite.send(ex, 200, "text/html; charset=utf-8", body);
    }

    static byte[] gzip(String s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static byte[] deflate(String s, boolean raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, raw))) {
            d.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    @Test
    void charsetsComeFromBomHeaderMetaDetectionThenUtf8() throws Exception {
        Charset win1251 = Charset.forName("windows-1251");
        Charset sjis = Charset.forName("Shift_JIS");
        String russian = "<html><head><meta charset=\"windows-1251\"><title>Привет</title></head><body>Привет, мир</body></html>";
        String japanese = "<html><body>" + "日本語のテキストです。文字コードの自動判定を確かめます。".repeat(20) + "</body></html>";
        site.route("/meta", ex -> TestSite.send(ex, 200, "text/html", russian.getBytes(win1251)))
                .route("/latin", ex -> TestSite.send(ex, 200, "text/html; charset=iso-8859-1", "café".getBytes(StandardCharsets.ISO_8859_1)))
                .route("/bom", ex -> {
                    byte[] text = "<p>ünïcödé</p>".getBytes(StandardCharsets.UTF_16LE);
                    byte[] body = new byte[text.length + 2];
                    body[0] = (byte) 0xff;
                    body[1] = (byte) 0xfe;
                    System.arraycopy(text, 0, body, 2, text.length);
                    TestSite.send(ex, 200, "text/html; charset=iso-8859-1", body);
                })
                .route("/sjis", ex -> TestSite.send(ex, 200, "text/html", japanese.getBytes(sjis)))
                .route("/none", ex -> TestSite.send(ex, 200, "text/html", "<p>plain ascii</p>".getBytes(StandardCharsets.US_ASCII)))
                .route("/wrong", ex -> TestSite.send(ex, 200, "text/html; charset=utf-8", "café".getBytes(StandardCharsets.ISO_8859_1)))
                .route("/png", ex -> TestSite.send(ex, 200, "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G'}));

        FetchResponse meta = fetcher.fetch(FetchRequest.get(site.url("/meta")));
        assertThat(meta.charsetSource()).isEqualTo("meta");
        assertThat(meta.text()).contains("Привет, мир");
        FetchResponse latin = fetcher.fetch(FetchRequest.get(site.url("/latin")));
        assertThat(latin.text()).isEqualTo("café");
        FetchResponse bom = fetcher.fetch(FetchRequest.get(site.url("/bom")));
        assertThat(bom.charsetSource()).isEqualTo("bom");
        assertThat(bom.text()).isEqualTo("<p>ünïcödé</p>");
        FetchResponse detected = fetcher.fetch(FetchRequest.get(site.url("/sjis")));
        assertThat(detected.charsetSource()).isEqualTo("detected");
        assertThat(detected.text()).contains("日本語のテキストです");
        FetchResponse none = fetcher.fetch(FetchRequest.get(site.url("/none")));
        assertThat(none.charset()).isEqualTo(StandardCharsets.UTF_8);
        assertThat(none.charsetSource()).isEqualTo("default");
        FetchResponse wrong = fetcher.fetch(FetchRequest.get(site.url("/wrong")));
        assertThat(wrong.text()).as("a wrong header is obeyed, like browsers do").isEqualTo("caf\uFFFD");
        FetchResponse png = fetcher.fetch(FetchRequest.get(site.url("/png")));
        assertThat(png.charset()).isNull();
        assertThat(png.text()).isNull();
        assertThat(png.body()).hasSize(4);
    }

    @Test
    void aRevalidationSendsTheValidatorsAndA304SaysNotModified() throws Exception {
        site.route("/page", ex -> {
            if ("\"v1\"".equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
                ex.sendResponseHeaders(304, -1);
            } else {
                TestSite.send(ex, 200, "text/html", "<p>fresh</p>");
            }
        });

        FetchResponse r = fetcher.fetch(new FetchRequest(site.url("/page"), "\"v1\"", "Tue, 01 Jan 2030 00:00:00 GMT", null));

        assertThat(r.status()).isEqualTo(304);
        assertThat(r.notModified()).isTrue();
        assertThat(r.body()).isEmpty();
        assertThat(site.seen("/page").get(0).header("If-Modified-Since")).isEqualTo("Tue, 01 Jan 2030 00:00:00 GMT");
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsADate() throws Exception {
        site.route("/busy", ex -> {
            ex.getResponseHeaders().add("Retry-After", "120");
            TestSite.send(ex, 429, "text/plain", "slow down");
        });

        assertThat(fetcher.fetch(FetchRequest.get(site.url("/busy"))).retryAfter()).isEqualTo(Duration.ofSeconds(120));
        assertThat(HttpFetcher.retryAfter("Wed, 21 Oct 2099 07:28:00 GMT")).isGreaterThan(Duration.ofDays(365));
        assertThat(HttpFetcher.retryAfter("soon")).isNull();
    }

    @Test
    void speaksHttp2OverTls() throws Exception {
        HeldCertificate cert = new HeldCertificate.Builder().addSubjectAlternativeName("127.0.0.1").build();
        HandshakeCertificates server = new HandshakeCertificates.Builder().heldCertificate(cert).build();
        HandshakeCertificates client = new HandshakeCertificates.Builder().addTrustedCertificate(cert.certificate()).build();
        try (MockWebServer h2 = new MockWebServer()) {
            h2.useHttps(server.sslSocketFactory());
            h2.setProtocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1));
            h2.start(InetAddress.getLoopbackAddress(), 0);
            h2.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html").body("<p>over h2</p>").build());
            HttpFetcher tls = fetcher(FetchSettings.defaults("test").withAddressPolicy(loopbackOnly)
                    .withTrust(new FetchSettings.Trust(client.sslSocketFactory(), client.trustManager())));
            try {
                FetchResponse r = tls.fetch(FetchRequest.get("https://127.0.0.1:" + h2.getPort() + "/"));
                assertThat(r.protocol()).isEqualTo("h2");
                assertThat(r.text()).isEqualTo("<p>over h2</p>");
            } finally {
                tls.close();
            }
        }
    }

    @Test
    void anUnreachablePortIsARetryableConnectionFailure() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        int closed = port;

        FetchException e = catchFetch(() -> fetcher.fetch(FetchRequest.get("http://127.0.0.1:" + closed + "/")));

        assertThat(e.error()).isEqualTo(FetchError.CONNECTION_FAILED);
        assertThat(e.error().retryable()).isTrue();
    }

    // ---- helpers -----------------------------------------------------------------------------------

    interface FetchCall {
        FetchResponse run() throws Exception;
    }

    static FetchException catchFetch(FetchCall call) {
        try {
            call.run();
        } catch (FetchException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected a FetchException, got " + e, e);
        }
        throw new AssertionError("expected the fetch to fail");
    }

    static void assertFails(FetchCall call, FetchError error, String message) {
        FetchException e = catchFetch(call);
        assertThat(e.error()).as("error of: %s", e.getMessage()).isEqualTo(error);
        assertThat(e.getMessage()).contains(message);
    }
}
