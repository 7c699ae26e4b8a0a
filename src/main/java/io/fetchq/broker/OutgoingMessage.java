package io.fetchq.broker;

import java.time.Duration;

/**
 * A message to send.
 *
 * @param delay    null: the queue's default delay
 * @param dedupeId null, or an id that makes repeats within {@link Broker#DEDUPE_WINDOW} return the first message
 */
public record OutgoingMessage(String body, Duration delay, String dedupeId) {
}
