package io.fetchq.fetch;

import java.net.UnknownHostException;

/**
 * The SSRF guard refused every address a host resolves to, or the one about to be connected to. An
 * {@link UnknownHostException} so that the HTTP client gives up on the host instead of retrying routes.
 */
final class BlockedAddressException extends UnknownHostException {
    BlockedAddressException(String message) {
        super(message);
    }
}
