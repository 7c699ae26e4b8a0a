package io.fetchq.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import okhttp3.Dns;

/**
 * The HTTP client's name resolution: resolves through {@link HostResolver} and refuses the whole host if
 * any address it resolves to is not allowed (a name that points at both a public and a private address
 * is a rebinding attempt, not a partial success). The client connects only to addresses returned here,
 * and {@link GuardedSocketFactory} checks the one it connects to once more.
 */
final class GuardedDns implements Dns {
    private final HostResolver resolver;
    private final AddressPolicy policy;

    GuardedDns(HostResolver resolver, AddressPolicy policy) {
        this.resolver = resolver;
        this.policy = policy;
    }

    @Override
    public List<InetAddress> lookup(String hostname) throws UnknownHostException {
        List<InetAddress> addresses = resolver.resolve(hostname);
        if (addresses.isEmpty()) {
            throw new UnknownHostException("no addresses for " + hostname);
        }
        List<InetAddress> allowed = new ArrayList<>(addresses.size());
        for (InetAddress a : addresses) {
            Optional<String> why = policy.refuseAddress(a);
            if (why.isPresent()) {
                throw new BlockedAddressException(hostname + " resolves to " + why.get());
            }
            allowed.add(a);
        }
        return allowed;
    }
}
