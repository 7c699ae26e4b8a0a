package io.fetchq.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fetchq.Node;
import io.fetchq.Version;
import io.fetchq.config.DbLocation;
import io.fetchq.config.Settings;
import io.fetchq.fetch.FetchRequest;
import io.fetchq.fetch.FetchResponse;
import io.fetchq.fetch.HtmlExtract;
import io.fetchq.fetch.HttpFetcher;
import io.fetchq.scrape.ScrapeSubmission;
import io.fetchq.store.ScrapeJobRecord;
import io.fetchq.store.ScrapeResult;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workload S1 of {@code ../shared/bench/WORKLOADS.md}: the corpus's URLs handed over up front, each
 * fetched, its title and text extracted, and its record stored durably; pages/s from handing the URLs
 * over until the last record is stored. Through the real engine and store, one job of all the URLs.
 * {@code --bare} runs the same HTTP client and parser in a plain loop with no queue and no storage: the
 * ceiling of fetchq's own stack.
 */
public final class ScrapeBenchmark {
    private static final Logger log = LoggerFactory.getLogger(ScrapeBenchmark.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Config(List<String> urls, DbLocation db, String schema, int concurrency, boolean allowPrivateNetworks,
                         boolean bare, Path records, int rounds) {
    }

    /** One stored page as the peers' verify.mjs reads it. */
    record Record(String url, String loadedUrl, int status, String title, int textLength) {
    }

    private final Config config;

    public ScrapeBenchmark(Config config) {
        this.config = config;
    }

    public String run() throws Exception {
        List<Record> records = null;
        List<Double> seconds = new ArrayList<>();
        List<Double> cpuSeconds = new ArrayList<>();
        long cpu0 = cpuNanos();
        String product;
        if (config.bare()) {
            product = "fetchq --bare (same client and parser, no queue, no storage)";
            try (HttpFetcher fetcher = new HttpFetcher(Node.fetchSettings(settings()))) {
                for (int round = 0; round < config.rounds(); round++) {
                    long c0 = cpuNanos();
                    long t0 = System.nanoTime();
                    List<Record> got = bare(fetcher);
                    seconds.add((System.nanoTime() - t0) / 1e9);
                    cpuSeconds.add((cpuNanos() - c0) / 1e9);
                    records = records == null ? got : records;
                }
            }
        } else {
            product = "fetchq (" + (config.db() instanceof DbLocation.Postgres ? "postgresql" : "sqlite") + ")";
            reset();
            try (Node node = Node.start(settings(), w -> { })) {
                for (int round = 0; round < config.rounds(); round++) {
                    long c0 = cpuNanos();
                    long t0 = System.nanoTime();
                    ScrapeJobRecord job = node.scrape().submit(ScrapeSubmission.of(config.urls()).withMaxAge(0));
                    while (node.scrape().get(job.id()).orElseThrow().finishedAt() == null) {
                        Thread.sleep(20);
                    }
                    seconds.add((System.nanoTime() - t0) / 1e9);
                    cpuSeconds.add((cpuNanos() - c0) / 1e9);
                    records = records == null ? stored(node, job) : records;
                }
            }
        }
        long cpu1 = cpuNanos();
        long ok = records.stream().filter(r -> r.status() == 200).count();
        if (config.records() != null) {
            write(records, config.records());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("product", product);
        out.put("version", Version.get());
        out.put("workload", "S1");
        out.put("urls", config.urls().size());
        out.put("records", records.size());
        out.put("status_200", ok);
        out.put("crawl_s", Stats.round3(seconds.get(0)));
        out.put("pages_per_s", Math.round(records.size() / seconds.get(0) * 10) / 10.0);
        out.put("concurrency", config.concurrency());
        out.put("peak_rss_mb", peakRssMb());
        out.put("process_cpu_s", Math.round((cpu1 - cpu0) / 1e7) / 100.0);
        out.put("crawl_cpu_s", Stats.round3(cpuSeconds.get(0)));
        if (config.rounds() > 1) {
            // the same URLs again in this process: what the first round paid for JIT compilation shows here
            out.put("later_rounds_pages_per_s", seconds.subList(1, seconds.size()).stream()
                    .map(s -> Math.round(config.urls().size() / s * 10) / 10.0).toList());
            out.put("later_rounds_cpu_s", cpuSeconds.subList(1, cpuSeconds.size()).stream()
                    .map(Stats::round3).toList());
        }
        out.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
        log.info("S1: {} records in {} s ({} pages/s), {} with status 200", records.size(), out.get("crawl_s"),
                out.get("pages_per_s"), ok);
        return JSON.writeValueAsString(out);
    }

    private Settings settings() {
        return Settings.builder().db(ScratchStore.dbSetting(config.db(), config.schema())).allowPrivateNetworks(config.allowPrivateNetworks()).allowPorts("*")
                .fetchConcurrency(config.concurrency()).perHostConcurrency(Math.min(256, config.concurrency()))
                .perHostDelay("0s").build();
    }

    private List<Record> bare(HttpFetcher fetcher) throws InterruptedException {
        ConcurrentLinkedQueue<String> todo = new ConcurrentLinkedQueue<>(config.urls());
        ConcurrentLinkedQueue<Record> done = new ConcurrentLinkedQueue<>();
        AtomicInteger failures = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < config.concurrency(); i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                String url;
                while ((url = todo.poll()) != null) {
                    for (int attempt = 1; attempt <= 3; attempt++) {
                        try {
                            FetchResponse r = fetcher.fetch(FetchRequest.get(url));
                            HtmlExtract.Extracted e = HtmlExtract.extract(r.text(), r.finalUrl());
                            done.add(new Record(url, r.finalUrl(), r.status(), e.title(), e.text().length()));
                            break;
                        } catch (Exception e) {
                            if (attempt == 3) {
                                failures.incrementAndGet();
                            }
                        }
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failures.get() > 0) {
            log.warn("{} URLs failed three times", failures.get());
        }
        return new ArrayList<>(done);
    }

    private static List<Record> stored(Node node, ScrapeJobRecord job) {
        List<Record> out = new ArrayList<>(job.total());
        int after = -1;
        while (true) {
            List<ScrapeResult> page = node.scrape().results(job.id(), after, 1000);
            if (page.isEmpty()) {
                return out;
            }
            for (ScrapeResult r : page) {
                int status = r.url().httpStatus() == null ? 0 : r.url().httpStatus();
                String title = r.page() == null ? null : r.page().title();
                int textLength = r.page() == null || r.page().text() == null ? 0 : r.page().text().length();
                out.add(new Record(r.url().url(), r.page() == null ? r.url().url() : r.page().finalUrl(), status, title,
                        textLength));
            }
            after = page.get(page.size() - 1).url().idx();
        }
    }

    private static void write(List<Record> records, Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            for (Record r : records) {
                w.write(JSON.writeValueAsString(r));
                w.newLine();
            }
        }
    }

    /** Each run starts from an empty store (not timed): the SQLite file is deleted, the PostgreSQL schema made anew. */
    private void reset() throws Exception {
        ScratchStore.reset(config.db(), config.schema());
    }

    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /** Peak resident set size of this process in MiB (VmHWM), or -1 where /proc is not available. */
    static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
