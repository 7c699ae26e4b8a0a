package io.fetchq.cli;

import io.fetchq.bench.ScrapeBenchmark;
import io.fetchq.config.DbLocation;
import io.fetchq.config.InvalidSettingsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fetchq bench scrape}: workload S1 of ../shared/bench (fetch, extract and store a list of URLs). */
@Command(name = "scrape", mixinStandardHelpOptions = true,
        description = {
                "Run workload S1 the peers were measured on (../shared/bench/WORKLOADS.md): every URL of --urls "
                        + "fetched, its title and text extracted and stored, through one scrape job on a real node. "
                        + "--bare runs the same HTTP client and parser in a plain loop with no queue and no storage.",
                "Prints one JSON line (pages_per_s, peak_rss_mb, ...) on stdout. The database is scratch: an SQLite "
                        + "file is deleted first; on PostgreSQL the --schema is dropped and created again."})
final class ScrapeBenchCommand implements Callable<Integer> {
    @Option(names = "--urls", required = true, paramLabel = "FILE", description = "One URL per line.")
    Path urls;

    @Option(names = "--db", defaultValue = "./data/bench-scrape.db", paramLabel = "FILE|URL",
            description = "Scratch SQLite file or postgresql:// URL (default ${DEFAULT-VALUE}).")
    String db;

    @Option(names = "--schema", defaultValue = "fetchq_bench_scrape", paramLabel = "NAME",
            description = "PostgreSQL schema, dropped and created again first (default ${DEFAULT-VALUE}).")
    String schema;

    @Option(names = "--concurrency", defaultValue = "64", paramLabel = "N", description = "Pages fetched at once (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--allow-private-networks", description = "Let the fetcher reach loopback (the benchmark site).")
    boolean allowPrivateNetworks;

    @Option(names = "--bare", description = "Same client and parser in a plain loop: no queue, no storage.")
    boolean bare;

    @Option(names = "--rounds", defaultValue = "1", paramLabel = "N",
            description = "Crawl the list this many times in one process (default ${DEFAULT-VALUE}); pages_per_s is "
                    + "the first round, later rounds are reported beside it (the JIT compiler has warmed up by then).")
    int rounds;

    @Option(names = "--records", paramLabel = "FILE",
            description = "Write the stored records as JSON lines for the peers' verify.mjs.")
    Path records;

    @Override
    public Integer call() throws Exception {
        if (concurrency < 1 || concurrency > 1000) {
            throw new InvalidSettingsException("--concurrency must be between 1 and 1000, got " + concurrency);
        }
        if (rounds < 1 || rounds > 20) {
            throw new InvalidSettingsException("--rounds must be between 1 and 20, got " + rounds);
        }
        if (!Files.isReadable(urls)) {
            throw new InvalidSettingsException("--urls " + urls + " cannot be read");
        }
        List<String> list = Files.readAllLines(urls).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (list.isEmpty() || list.size() > 10_000) {
            throw new InvalidSettingsException("--urls must list 1-10000 URLs, it lists " + list.size());
        }
        System.out.println(new ScrapeBenchmark(new ScrapeBenchmark.Config(list, DbLocation.parse(db), schema, concurrency,
                allowPrivateNetworks, bare, records, rounds)).run());
        return 0;
    }
}
