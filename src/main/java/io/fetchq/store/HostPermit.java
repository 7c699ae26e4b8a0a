package io.fetchq.store;

import java.time.Duration;

/** Permission to send one request to a host: the slot held, and how long to wait before starting it. */
public record HostPermit(String host, int slot, Duration startIn) {
}
