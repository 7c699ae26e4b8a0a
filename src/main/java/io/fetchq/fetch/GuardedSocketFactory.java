package io.fetchq.fetch;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.Optional;
import javax.net.SocketFactory;

/**
 * Checks the exact address each socket connects to against the {@link AddressPolicy}: the last line of
 * the SSRF guard, which also covers hosts the client never resolves (address literals) and makes the
 * checked address and the connected one the same.
 */
final class GuardedSocketFactory extends SocketFactory {
    private final AddressPolicy policy;

    GuardedSocketFactory(AddressPolicy policy) {
        this.policy = policy;
    }

    private final class GuardedSocket extends Socket {
        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            if (endpoint instanceof InetSocketAddress isa) {
                InetAddress a = isa.getAddress();
                if (a == null) {
                    throw new BlockedAddressException("refusing to connect to an unresolved address " + isa);
                }
                Optional<String> why = policy.refuseAddress(a);
                if (why.isPresent()) {
                    throw new BlockedAddressException("refusing to connect: " + why.get());
                }
            }
            super.connect(endpoint, timeout);
        }
    }

    @Override
    public Socket createSocket() {
        return new GuardedSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket s = new GuardedSocket();
        s.bind(new InetSocketAddress(localHost, localPort));
        s.connect(new InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        Socket s = new GuardedSocket();
        s.bind(new InetSocketAddress(localAddress, localPort));
        s.connect(new InetSocketAddress(address, port));
        return s;
    }

    private Socket connected(InetSocketAddress address) throws IOException {
        Socket s = new GuardedSocket();
        s.connect(address);
        return s;
    }
}
