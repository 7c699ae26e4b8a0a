package io.fetchq.store;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/** The pages table: one row per canonical URL. Part of the {@link Store} contract. */
public interface PageStore {
    /** Inserts or replaces the page for its canonical URL, fetched now. @return its id (a page keeps its id) */
    String pageUpsert(Page page);

    /** A revalidation answered 304: the page is current as of now. @return false if no page has that URL */
    boolean pageTouch(String url);

    Optional<Page> pageGet(String id);

    /** @return the validators of the pages stored for these canonical URLs, by URL (missing ones left out) */
    Map<String, PageValidators> pageValidators(Collection<String> urls);
}
