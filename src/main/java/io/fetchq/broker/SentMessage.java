package io.fetchq.broker;

/** What a send did with one message: its id, and whether it was a repeat of one sent before (not sent again). */
public record SentMessage(String id, boolean duplicate) {
}
