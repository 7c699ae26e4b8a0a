package io.fetchq.store;

/**
 * What became of one {@link JobInsert}: the id of the job that now stands for it, and whether it was
 * inserted or an unfinished job with the same dedupe key was found instead.
 */
public record JobInsertResult(String id, boolean inserted) {
}
