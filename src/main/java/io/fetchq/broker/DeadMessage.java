package io.fetchq.broker;

import java.time.Instant;

/** A dead letter: a message received {@code receiveCount} times without being deleted. */
public record DeadMessage(String id, String body, int receiveCount, Instant sentAt, Instant firstReceivedAt,
                          Instant deadAt, String reason) {
}
