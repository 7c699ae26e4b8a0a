package io.fetchq.fetch;

/**
 * Fetches one URL. The HTTP implementation is {@link HttpFetcher}; a browser-rendering one can stand
 * beside it later, which is why the scrape layer only sees this interface.
 */
public interface Fetcher extends AutoCloseable {
    /**
     * @throws FetchException when no response could be had (blocked, unreachable, too large, ...)
     * @throws InterruptedException when the calling thread is interrupted (the job was cancelled)
     */
    FetchResponse fetch(FetchRequest request) throws FetchException, InterruptedException;

    @Override
    void close();
}
