package io.fetchq.fetch;

import java.time.Duration;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509TrustManager;

/**
 * How the HTTP fetcher behaves. {@link #defaults(String)} gives the documented defaults; the command line
 * builds these from its validated settings.
 *
 * @param connectTimeout  to open a connection (default 10 s)
 * @param readTimeout     between two reads from the server (default 30 s)
 * @param totalTimeout    for the whole fetch, redirects included (default 60 s)
 * @param maxBodyBytes    largest decoded body kept; reading stops beyond it (default 10 MiB)
 * @param maxRedirects    redirects followed before giving up (default 10)
 * @param userAgent       sent with every request
 * @param maxIdleConnections keep-alive connections kept per fetcher
 * @param trust           a custom TLS trust (tests with self-signed certificates); null for the system's
 */
public record FetchSettings(
        Duration connectTimeout,
        Duration readTimeout,
        Duration totalTimeout,
        long maxBodyBytes,
        int maxRedirects,
        String userAgent,
        AddressPolicy addressPolicy,
        HostResolver resolver,
        int maxIdleConnections,
        Trust trust) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofSeconds(60);
    public static final long DEFAULT_MAX_BODY_BYTES = 10L << 20;
    public static final int DEFAULT_MAX_REDIRECTS = 10;
    public static final String PROJECT_URL = "https://github.com/fetchq/fetchq";

    /** A TLS trust other than the system's. */
    public record Trust(SSLSocketFactory socketFactory, X509TrustManager trustManager) {
    }

    /** The default user agent: {@code fetchq/<version> (+<project url>)}. */
    public static String defaultUserAgent(String version) {
        return "fetchq/" + version + " (+" + PROJECT_URL + ")";
    }

    public static FetchSettings defaults(String version) {
        return new FetchSettings(DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, DEFAULT_TOTAL_TIMEOUT,
                DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_REDIRECTS, defaultUserAgent(version), AddressPolicy.strict(),
                HostResolver.SYSTEM, 256, null);
    }

    public FetchSettings withAddressPolicy(AddressPolicy p) {
        return new FetchSettings(connectTimeout, readTimeout, totalTimeout, maxBodyBytes, maxRedirects, userAgent, p,
                resolver, maxIdleConnections, trust);
    }

    public FetchSettings withResolver(HostResolver r) {
        return new FetchSettings(connectTimeout, readTimeout, totalTimeout, maxBodyBytes, maxRedirects, userAgent,
                addressPolicy, r, maxIdleConnections, trust);
    }

    public FetchSettings withTimeouts(Duration connect, Duration read, Duration total) {
        return new FetchSettings(connect, read, total, maxBodyBytes, maxRedirects, userAgent, addressPolicy, resolver,
                maxIdleConnections, trust);
    }

    public FetchSettings withMaxBodyBytes(long n) {
        return new FetchSettings(connectTimeout, readTimeout, totalTimeout, n, maxRedirects, userAgent, addressPolicy,
                resolver, maxIdleConnections, trust);
    }

    public FetchSettings withMaxRedirects(int n) {
        return new FetchSettings(connectTimeout, readTimeout, totalTimeout, maxBodyBytes, n, userAgent, addressPolicy,
                resolver, maxIdleConnections, trust);
    }

    public FetchSettings withUserAgent(String ua) {
        return new FetchSettings(connectTimeout, readTimeout, totalTimeout, maxBodyBytes, maxRedirects, ua, addressPolicy,
                resolver, maxIdleConnections, trust);
    }

    public FetchSettings withTrust(Trust t) {
        return new FetchSettings(connectTimeout, readTimeout, totalTimeout, maxBodyBytes, maxRedirects, userAgent,
                addressPolicy, resolver, maxIdleConnections, t);
    }
}
