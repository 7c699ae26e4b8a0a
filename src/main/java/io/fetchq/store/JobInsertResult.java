package io.fetchq.store;

/**
 * What became of one {@link JobInsert}: the id of the job that now stands for it, and whether it was
 * inserted or an unfinished job with the same dedupe key was found instead. {@code claimed} is the job as
 * inserted when it was inserted already leased ({@link JobInsert#grant()}); null otherwise.
 */
public record JobInsertResult(String id, boolean inserted, Job claimed) {
    public JobInsertResult(String id, boolean inserted) {
        this(id, inserted, null);
    }
}
