package io.fetchq.broker;

import java.time.Instant;

/**
 * A message as a receive hands it out: {@code receipt} deletes it or changes its visibility until
 * {@code visibleAgainAt}; {@code receiveCount} counts this receive.
 */
public record ReceivedMessage(String id, String body, String receipt, int receiveCount, Instant sentAt,
                              Instant firstReceivedAt, Instant visibleAgainAt) {
}
