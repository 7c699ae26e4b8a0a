package io.fetchq.store.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchq.store.Ids;
import io.fetchq.store.Page;
import io.fetchq.store.PageValidators;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pages: one per canonical URL, kept across fetches, with their validators. */
public interface PageContract extends StoreFixture {

    default Page page(String url, String title) {
        return new Page(Ids.newId(), url, 200, url, "{\"etag\":\"\\\"v1\\\"\"}", "text/html", "UTF-8",
                new byte[] {1, 2, 3}, 3, "ab12", title, "some text", "\"v1\"", "Tue, 01 Jan 2030 00:00:00 GMT", null);
    }

    @Test
    default void aPageIsStoredWithEveryFieldAndFetchedNow() {
        Page p = page("http://example.com/a", "A");

        String id = store().pages().pageUpsert(p);

        Page stored = store().pages().pageGet(id).orElseThrow();
        assertThat(id).isEqualTo(p.id());
        assertThat(stored).usingRecursiveComparison().ignoringFields("fetchedAt").isEqualTo(p);
        assertThat(stored.fetchedAt()).isEqualTo(clock().now());
    }

    @Test
    default void fetchingAUrlAgainReplacesItsPageButKeepsTheId() {
        String first = store().pages().pageUpsert(page("http://example.com/a", "old"));
        clock().advance(Duration.ofMinutes(5));

        String second = store().pages().pageUpsert(page("http://example.com/a", "new"));

        Page stored = store().pages().pageGet(first).orElseThrow();
        assertThat(second).isEqualTo(first);
        assertThat(stored.title()).isEqualTo("new");
        assertThat(stored.fetchedAt()).isEqualTo(clock().now());
    }

    @Test
    default void aRevalidationMovesFetchedAtOnly() {
        String id = store().pages().pageUpsert(page("http://example.com/a", "A"));
        clock().advance(Duration.ofHours(3));

        assertThat(store().pages().pageTouch("http://example.com/a")).isTrue();
        assertThat(store().pages().pageTouch("http://example.com/none")).isFalse();

        Page stored = store().pages().pageGet(id).orElseThrow();
        assertThat(stored.fetchedAt()).isEqualTo(clock().now());
        assertThat(stored.title()).isEqualTo("A");
    }

    @Test
    default void validatorsAreFoundByUrl() {
        String a = store().pages().pageUpsert(page("http://example.com/a", "A"));

        Map<String, PageValidators> v = store().pages().pageValidators(List.of("http://example.com/a", "http://example.com/b"));

        assertThat(v).containsOnlyKeys("http://example.com/a");
        assertThat(v.get("http://example.com/a")).isEqualTo(new PageValidators(a, "http://example.com/a", clock().now(),
                "\"v1\"", "Tue, 01 Jan 2030 00:00:00 GMT"));
        assertThat(store().pages().pageValidators(List.of())).isEmpty();
        assertThat(store().pages().pageGet("nope")).isEmpty();
    }
}
