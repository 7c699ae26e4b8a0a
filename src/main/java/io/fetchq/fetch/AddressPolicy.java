package io.fetchq.fetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which URLs and addresses the fetcher may reach: the SSRF guard. By default only http and https, only
 * ports 80 and 443 (plus those the operator allows), and only public unicast addresses: loopback,
 * "this network", private, carrier-grade NAT, link-local (cloud metadata at 169.254.169.254 included),
 * multicast, reserved and documentation ranges are refused, in both families, including IPv4 addresses
 * wrapped in IPv6 (IPv4-mapped, IPv4-compatible, NAT64, 6to4, Teredo). Hosts spelled as ambiguous IPv4
 * numbers ({@code 2130706433}, {@code 0x7f.1}, {@code 0177.0.0.1}, {@code 127.1}) are refused outright:
 * resolvers disagree on what they mean.
 *
 * <p>{@link #allowPrivateNetworks} lifts the address rules (for tests and benchmarks on loopback), and
 * {@link #allowNetwork} lifts them for one network only; the scheme and spelling rules always hold.
 */
public final class AddressPolicy {
    private static final Set<Integer> DEFAULT_PORTS = Set.of(80, 443);

    private final boolean privateNetworksAllowed;
    private final boolean anyPort;
    private final Set<Integer> extraPorts;
    private final List<Network> allowedNetworks;

    private AddressPolicy(boolean privateNetworksAllowed, boolean anyPort, Set<Integer> extraPorts,
                          List<Network> allowedNetworks) {
        this.privateNetworksAllowed = privateNetworksAllowed;
        this.anyPort = anyPort;
        this.extraPorts = Set.copyOf(extraPorts);
        this.allowedNetworks = List.copyOf(allowedNetworks);
    }

    /** Public addresses on ports 80 and 443 only. */
    public static AddressPolicy strict() {
        return new AddressPolicy(false, false, Set.of(), List.of());
    }

    /** Lets every address through (the scheme, port and spelling rules still hold). */
    public AddressPolicy allowPrivateNetworks() {
        return new AddressPolicy(true, anyPort, extraPorts, allowedNetworks);
    }

    /** Lets one network through, e.g. {@code 127.0.0.1/32}. */
    public AddressPolicy allowNetwork(String cidr) {
        List<Network> more = new ArrayList<>(allowedNetworks);
        more.add(Network.parse(cidr));
        return new AddressPolicy(privateNetworksAllowed, anyPort, extraPorts, more);
    }

    public AddressPolicy allowPorts(Set<Integer> ports) {
        return new AddressPolicy(privateNetworksAllowed, anyPort, ports, allowedNetworks);
    }

    public AddressPolicy allowAnyPort() {
        return new AddressPolicy(privateNetworksAllowed, true, extraPorts, allowedNetworks);
    }

    /** An address prefix, {@code a.b.c.d/n} or {@code x::/n}. */
    record Network(byte[] prefix, int bits) {
        static Network parse(String cidr) {
            int slash = cidr.indexOf('/');
            String host = slash < 0 ? cidr : cidr.substring(0, slash);
            InetAddress a = Ipv4Spelling.literal(host);
            if (a == null) {
                throw new IllegalArgumentException("not an address: " + host);
            }
            int max = a.getAddress().length * 8;
            int bits = slash < 0 ? max : Integer.parseInt(cidr.substring(slash + 1));
            if (bits < 0 || bits > max) {
                throw new IllegalArgumentException("prefix length must be 0-" + max + " in " + cidr);
            }
            return new Network(a.getAddress(), bits);
        }

        boolean contains(InetAddress address) {
            byte[] b = address.getAddress();
            if (b.length != prefix.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((b[i / 8] & mask) != (prefix[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    public boolean privateNetworksAllowed() {
        return privateNetworksAllowed;
    }

    /**
     * Checks what can be checked before any lookup: scheme, port, and a host that is an address literal.
     *
     * @return why the URL is refused, or empty if it may be tried
     */
    public Optional<String> refuseUrl(String scheme, String host, int port) {
        String s = scheme.toLowerCase(Locale.ROOT);
        if (!s.equals("http") && !s.equals("https")) {
            return Optional.of("only http and https are fetched, not " + s);
        }
        if (!anyPort && !DEFAULT_PORTS.contains(port) && !extraPorts.contains(port)) {
            return Optional.of("port " + port + " is not allowed (80 and 443"
                    + (extraPorts.isEmpty() ? "" : ", and " + extraPorts) + " are)");
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (Ipv4Spelling.isAmbiguous(h)) {
            return Optional.of("host '" + host + "' is an ambiguous IPv4 spelling");
        }
        InetAddress literal = Ipv4Spelling.literal(h);
        if (literal != null) {
            return refuseAddress(literal);
        }
        return Optional.empty();
    }

    /** @return why connecting to this address is refused, or empty if it is a public unicast address */
    public Optional<String> refuseAddress(InetAddress address) {
        if (privateNetworksAllowed || allowedNetworks.stream().anyMatch(n -> n.contains(address))) {
            return Optional.empty();
        }
        String why = classify(address);
        return why == null ? Optional.empty() : Optional.of(address.getHostAddress() + " is " + why);
    }

    /** @return the kind of non-public address, or null for a public unicast address */
    static String classify(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return classify4(b);
        }
        if (address instanceof Inet6Address) {
            return classify6(b);
        }
        return "of an unknown family";
    }

    private static String classify4(byte[] b) {
        int a0 = b[0] & 0xff, a1 = b[1] & 0xff, a2 = b[2] & 0xff;
        if (a0 == 0) return "in 0.0.0.0/8 (this network)";
        if (a0 == 10) return "private (10.0.0.0/8)";
        if (a0 == 100 && (a1 & 0xc0) == 64) return "carrier-grade NAT (100.64.0.0/10)";
        if (a0 == 127) return "loopback (127.0.0.0/8)";
        if (a0 == 169 && a1 == 254) return "link-local (169.254.0.0/16, cloud metadata included)";
        if (a0 == 172 && (a1 & 0xf0) == 16) return "private (172.16.0.0/12)";
        if (a0 == 192 && a1 == 0 && a2 == 0) return "IETF protocol assignments (192.0.0.0/24)";
        if (a0 == 192 && a1 == 0 && a2 == 2) return "documentation (192.0.2.0/24)";
        if (a0 == 192 && a1 == 88 && a2 == 99) return "6to4 relay anycast (192.88.99.0/24)";
        if (a0 == 192 && a1 == 168) return "private (192.168.0.0/16)";
        if (a0 == 198 && (a1 & 0xfe) == 18) return "benchmarking (198.18.0.0/15)";
        if (a0 == 198 && a1 == 51 && a2 == 100) return "documentation (198.51.100.0/24)";
        if (a0 == 203 && a1 == 0 && a2 == 113) return "documentation (203.0.113.0/24)";
        if ((a0 & 0xf0) == 224) return "multicast (224.0.0.0/4)";
        if ((a0 & 0xf0) == 240) return "reserved (240.0.0.0/4, broadcast included)";
        return null;
    }

    private static String classify6(byte[] b) {
        boolean zeroTo80 = true;
        for (int i = 0; i < 10; i++) {
            zeroTo80 &= b[i] == 0;
        }
        if (zeroTo80 && b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
            return embedded("an IPv4-mapped address", b, 12);
        }
        if (zeroTo80 && b[10] == 0 && b[11] == 0) {
            boolean firstTwelveZero = true;
            for (int i = 0; i < 15; i++) {
                firstTwelveZero &= b[i] == 0;
            }
            if (firstTwelveZero && (b[15] == 0 || b[15] == 1)) {
                return b[15] == 0 ? "the unspecified address (::)" : "loopback (::1)";
            }
            return embedded("an IPv4-compatible address", b, 12);
        }
        int w0 = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
        int w1 = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        if (w0 == 0x0064 && w1 == 0xff9b) {
            return "NAT64 (64:ff9b::/96 or 64:ff9b:1::/48)";
        }
        if (w0 == 0x0100 && w1 == 0 && b[4] == 0 && b[5] == 0 && b[6] == 0 && b[7] == 0) {
            return "discard-only (100::/64)";
        }
        if (w0 == 0x2001 && w1 < 0x0200) {
            return "IETF protocol assignments (2001::/23, Teredo included)";
        }
        if (w0 == 0x2001 && w1 == 0x0db8) {
            return "documentation (2001:db8::/32)";
        }
        if (w0 == 0x2002) {
            return "6to4 (2002::/16)";
        }
        if ((b[0] & 0xfe) == 0xfc) {
            return "unique local (fc00::/7)";
        }
        if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0x80) {
            return "link-local (fe80::/10)";
        }
        if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0) {
            return "site-local (fec0::/10)";
        }
        if ((b[0] & 0xff) == 0xff) {
            return "multicast (ff00::/8)";
        }
        return null;
    }

    private static String embedded(String what, byte[] b, int from) {
        byte[] v4 = {b[from], b[from + 1], b[from + 2], b[from + 3]};
        String inner = classify4(v4);
        return what + " wrapping " + (v4[0] & 0xff) + "." + (v4[1] & 0xff) + "." + (v4[2] & 0xff) + "." + (v4[3] & 0xff)
                + (inner == null ? "" : ", which is " + inner);
    }
}
