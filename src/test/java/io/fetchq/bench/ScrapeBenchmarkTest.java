package io.fetchq.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fetchq.config.DbLocation;
import io.fetchq.testing.TestSite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The S1 benchmark still runs end to end and writes the records the peers' verify step reads (speed is not asserted). */
class ScrapeBenchmarkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestSite site = new TestSite();

    @AfterEach
    void stop() {
        site.close();
    }

    private List<String> pages(int n) {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String path = "/p/" + i + ".html";
            site.html(path, "<html><head><title>Page " + i + "</title></head><body><p>text of page " + i + "</p></body></html>");
            urls.add(site.url(path));
        }
        return urls;
    }

    @Test
    void aNodeRunStoresEveryPageAndReportsItsRounds(@TempDir Path dir) throws Exception {
        List<String> urls = pages(40);
        Path records = dir.resolve("records.jsonl");

        JsonNode out = JSON.readTree(new ScrapeBenchmark(new ScrapeBenchmark.Config(urls,
                DbLocation.parse(dir.resolve("s1.db").toString()), "unused", 8, true, false, records, 2)).run());

        assertThat(out.get("product").asText()).isEqualTo("fetchq (sqlite)");
        assertThat(out.get("records").asInt()).isEqualTo(40);
        assertThat(out.get("status_200").asInt()).isEqualTo(40);
        assertThat(out.get("pages_per_s").asDouble()).isPositive();
        assertThat(out.get("peak_rss_mb").asLong()).isPositive();
        assertThat(out.get("later_rounds_pages_per_s")).hasSize(1);
        List<String> lines = Files.readAllLines(records);
        assertThat(lines).hasSize(40);
        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(first.get("title").asText()).startsWith("Page ");
        assertThat(first.get("status").asInt()).isEqualTo(200);
        assertThat(first.get("textLength").asInt()).isGreaterThan(10);
    }

    @Test
    void theBareLoopFetchesEveryPageWithoutAStore(@TempDir Path dir) throws Exception {
        List<String> urls = pages(20);

        JsonNode out = JSON.readTree(new ScrapeBenchmark(new ScrapeBenchmark.Config(urls,
                DbLocation.parse(dir.resolve("unused.db").toString()), "unused", 4, true, true, null, 1)).run());

        assertThat(out.get("records").asInt()).isEqualTo(20);
        assertThat(out.get("status_200").asInt()).isEqualTo(20);
        assertThat(out.has("later_rounds_pages_per_s")).isFalse();
        assertThat(dir.resolve("unused.db")).doesNotExist();
    }
}
