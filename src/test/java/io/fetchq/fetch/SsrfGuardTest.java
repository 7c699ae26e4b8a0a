package io.fetchq.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SSRF guard with its default (strict) policy: every vector below is refused with
 * {@code blocked_address} before anything is sent. Names that resolve to private addresses are served by
 * a stub resolver, so no DNS is involved.
 */
class SsrfGuardTest {
    private static final HttpFetcher STRICT = new HttpFetcher(FetchSettings.defaults("test")
            .withResolver(HttpFetcherTest.stub(Map.of(
                    "localhost", List.of("127.0.0.1"),
                    "evil.test", List.of("10.0.0.5"),
                    "metadata.test", List.of("169.254.169.254"),
                    "rebind.test", List.of("93.184.216.34", "127.0.0.1"),
                    "v6-local.test", List.of("::1"),
                    "cgnat.test", List.of("100.100.1.1"),
                    "ula.test", List.of("fd00::1")))));

    @AfterAll
    static void close() {
        STRICT.close();
    }

    static Stream<Arguments> vectors() {
        return Stream.of(
                Arguments.of("loopback", "http://127.0.0.1/"),
                Arguments.of("loopback, other address", "http://127.8.9.10/"),
                Arguments.of("localhost by name", "http://localhost/"),
                Arguments.of("IPv6 loopback", "http://[::1]/"),
                Arguments.of("this network", "http://0.0.0.0/"),
                Arguments.of("private 10/8", "http://10.0.0.1/"),
                Arguments.of("private 172.16/12", "http://172.16.5.4/"),
                Arguments.of("private 192.168/16", "http://192.168.1.1/"),
                Arguments.of("carrier-grade NAT", "http://100.64.0.1/"),
                Arguments.of("cloud metadata", "http://169.254.169.254/latest/meta-data/"),
                Arguments.of("multicast", "http://224.0.0.1/"),
                Arguments.of("reserved", "http://240.0.0.1/"),
                Arguments.of("broadcast", "http://255.255.255.255/"),
                Arguments.of("documentation range", "http://192.0.2.1/"),
                Arguments.of("benchmarking range", "http://198.18.0.1/"),
                Arguments.of("decimal spelling", "http://2130706433/"),
                Arguments.of("hex spelling", "http://0x7f000001/"),
                Arguments.of("octal spelling", "http://0177.0.0.1/"),
                Arguments.of("short spelling", "http://127.1/"),
                Arguments.of("mixed hex parts", "http://0x7f.0.0.1/"),
                Arguments.of("IPv4-mapped IPv6", "http://[::ffff:127.0.0.1]/"),
                Arguments.of("IPv4-mapped IPv6, hex", "http://[::ffff:7f00:1]/"),
                Arguments.of("IPv4-compatible IPv6", "http://[::127.0.0.1]/"),
                Arguments.of("NAT64", "http://[64:ff9b::7f00:1]/"),
                Arguments.of("6to4", "http://[2002:7f00:1::]/"),
                Arguments.of("unique local", "http://[fc00::1]/"),
                Arguments.of("unique local fd", "http://[fd12:3456::1]/"),
                Arguments.of("IPv6 link-local", "http://[fe80::1]/"),
                Arguments.of("IPv6 unspecified", "http://[::]/"),
                Arguments.of("IPv6 multicast", "http://[ff02::1]/"),
                Arguments.of("name resolving to private", "http://evil.test/"),
                Arguments.of("name resolving to metadata", "http://metadata.test/"),
                Arguments.of("name resolving to public and loopback", "http://rebind.test/"),
                Arguments.of("name resolving to IPv6 loopback", "http://v6-local.test/"),
                Arguments.of("name resolving to CGNAT", "http://cgnat.test/"),
                Arguments.of("name resolving to unique local", "http://ula.test/"),
                Arguments.of("ftp scheme", "ftp://example.com/file"),
                Arguments.of("file scheme", "file:///etc/passwd"),
                Arguments.of("gopher scheme", "gopher://127.0.0.1:70/"),
                Arguments.of("port not allowed", "http://example.com:22/"),
                Arguments.of("port not allowed on a private address", "http://127.0.0.1:6379/"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("vectors")
    void isRefusedAsBlockedAddress(String what, String url) {
        FetchException e = HttpFetcherTest.catchFetch(() -> STRICT.fetch(FetchRequest.get(url)));

        assertThat(e.error()).as("%s (%s)", what, e.getMessage()).isEqualTo(FetchError.BLOCKED_ADDRESS);
        assertThat(e.error().retryable()).isFalse();
        assertThat(e.getMessage()).isNotBlank();
    }

    @Test
    void publicAddressesAndTheDefaultPortsPass() throws Exception {
        AddressPolicy p = AddressPolicy.strict();

        assertThat(p.refuseAddress(InetAddress.getByName("93.184.216.34"))).isEmpty();
        assertThat(p.refuseAddress(InetAddress.getByName("8.8.8.8"))).isEmpty();
        assertThat(p.refuseAddress(InetAddress.getByName("2606:4700:4700::1111"))).isEmpty();
        assertThat(p.refuseUrl("https", "example.com", 443)).isEmpty();
        assertThat(p.refuseUrl("HTTP", "example.com", 80)).isEmpty();
        assertThat(p.refuseUrl("http", "example.com", 8080)).isPresent();
        assertThat(p.allowPorts(java.util.Set.of(8080)).refuseUrl("http", "example.com", 8080)).isEmpty();
    }

    @Test
    void theConnectedAddressItselfIsChecked() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket s = new GuardedSocketFactory(AddressPolicy.strict()).createSocket()) {
            assertThatThrownBy(() -> s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listening.getLocalPort())))
                    .isInstanceOf(BlockedAddressException.class)
                    .hasMessageContaining("loopback");
            assertThat(s.isConnected()).isFalse();
        }
    }

    @Test
    void aNameWithOnePrivateAnswerAmongPublicOnesIsRefusedWhole() {
        GuardedDns dns = new GuardedDns(HttpFetcherTest.stub(Map.of("mixed.test", List.of("1.1.1.1", "10.1.2.3"))),
                AddressPolicy.strict());

        assertThatThrownBy(() -> dns.lookup("mixed.test")).isInstanceOf(BlockedAddressException.class)
                .hasMessageContaining("10.1.2.3");
    }

    @Test
    void allowingOneNetworkAllowsOnlyThatNetwork() throws Exception {
        AddressPolicy p = AddressPolicy.strict().allowNetwork("127.0.0.1/32");

        assertThat(p.refuseAddress(InetAddress.getByName("127.0.0.1"))).isEmpty();
        assertThat(p.refuseAddress(InetAddress.getByName("127.0.0.2"))).isPresent();
        assertThat(p.refuseAddress(InetAddress.getByName("10.0.0.1"))).isPresent();
        assertThat(AddressPolicy.strict().allowPrivateNetworks().refuseAddress(InetAddress.getByName("10.0.0.1"))).isEmpty();
        assertThat(AddressPolicy.strict().allowPrivateNetworks().refuseUrl("http", "0x7f.1", 80))
                .as("ambiguous spellings stay refused").isPresent();
    }
}
