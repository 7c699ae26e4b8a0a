package io.fetchq.broker;

import io.fetchq.store.Lease;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Receipts: a message's id, its lease token and a check of the queue it was received from, joined by dots.
 * Opaque to clients; a receipt names one receive of one message, so it goes stale once the message's
 * visibility timeout expires and another receive takes it.
 */
final class Receipts {
    private Receipts() {
    }

    static String encode(String queue, Lease lease) {
        return lease.jobId() + "." + lease.token() + "." + check(queue);
    }

    /** @throws BrokerException when {@code receipt} is not one of this queue's */
    static Lease decode(String queue, String receipt, String field) {
        if (receipt == null || receipt.isEmpty() || receipt.length() > 200) {
            throw BrokerException.invalid(field, "must be a receipt from a receive of this queue");
        }
        String[] parts = receipt.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw BrokerException.invalid(field, "is not a receipt (receipts come from GET /queues/{name}/messages)");
        }
        if (!parts[2].equals(check(queue))) {
            throw BrokerException.invalid(field, "was not issued by queue '" + queue + "'");
        }
        return new Lease(parts[0], parts[1]);
    }

    private static String check(String queue) {
        CRC32 crc = new CRC32();
        crc.update(queue.getBytes(StandardCharsets.UTF_8));
        return Long.toString(crc.getValue(), 36);
    }
}
