#!/usr/bin/env bash
# Runs workload S1 (../shared/bench/WORKLOADS.md: 5,000 pages served by nginx on loopback, fetched, title and
# text extracted, records stored) for fetchq (--bare, SQLite, PostgreSQL) AND for the peers (Crawlee 3.18
# with its default storage, a plain Node fetch loop), interleaved round by round in one run, each timed run
# under `flock /tmp/bench.lock`, every product's records checked by the peers' verify step, and prints
# one table of medians. Results: target/bench/scrape-<UTC time>/ (one JSON line per run, summary.md,
# machine.txt).
#
#   scripts/bench-scrape.sh                                  # 3 rounds, everything
#   RUNS=1 PRODUCTS="fetchq-bare fetchq-sqlite" scripts/bench-scrape.sh
#   ROUNDS=3 scripts/bench-scrape.sh   # fetchq also crawls the list again in-process (warm JIT), reported apart
#
# Needs: nginx (apt-get install -y nginx), the peers' harness at ../shared/bench/scrape (or
# BENCH_SCRAPE_DIR), the npm registry (it installs the peers' pinned packages), PostgreSQL for
# fetchq-postgresql (database "bench", or PG_BENCH_URL).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)

RUNS=${RUNS:-3}
ROUNDS=${ROUNDS:-1}
ALL="fetchq-bare fetchq-sqlite fetchq-postgresql crawlee-S1-fixed64 plain-S1-pool64"
read -r -a PRODUCTS <<< "${PRODUCTS:-$ALL}"
PG_BENCH_URL=${PG_BENCH_URL:-postgresql://postgres@127.0.0.1:5432/bench}
LOCK=/tmp/bench.lock

# shellcheck source=scripts/s1-site.sh
. "$root/scripts/s1-site.sh"
s1_site_up "$root"
work=$s1_work
trap s1_site_down EXIT
[ -d "$work/node/node_modules/@crawlee/cheerio" ] || (cd "$work/node" && npm ci --no-audit --no-fund)
"$root/fetchq" --version > /dev/null   # builds the jar if needed (not timed)

ts=$(date -u +%Y%m%dT%H%M%SZ)
out=$root/target/bench/scrape-$ts
mkdir -p "$out"
{
  echo "date_utc=$ts"; echo "nproc=$(nproc)"; lscpu | grep -E 'Model name|^CPU\(s\)|Thread|Core'; free -h | head -2
  echo "node=$(node --version) nginx=$(nginx -v 2>&1 | sed 's/.*nginx\///')"
  echo "crawlee=$(node -p "require('$work/node/node_modules/@crawlee/cheerio/package.json').version")"
  echo "undici=$(node -p "require('$work/node/node_modules/undici/package.json').version")"
  echo "corpus=$(cat "$work/site/CORPUS_ID")"; "$root/fetchq" --version | tr '\n' ' '; echo
} > "$out/machine.txt" 2>&1
echo "bench-scrape: results -> $out (RUNS=$RUNS)" >&2
urls=$s1_urls
results=$out/results.jsonl
: > "$results"

# One timed run; appends {"label","run","pages_per_s","peak_rss_mb","cpu_s","ok",...} to results.jsonl.
run_one() { # product round
  local p=$1 i=$2 log="$out/$1.run$2.log" rec="$out/$1.run$2.records.jsonl" line
  case "$p" in
    fetchq-bare|fetchq-sqlite|fetchq-postgresql)
      local args=(bench scrape --urls "$urls" --concurrency 64 --allow-private-networks --rounds "$ROUNDS" --records "$rec")
      [ "$p" = fetchq-bare ] && args+=(--bare)
      [ "$p" = fetchq-postgresql ] && args+=(--db "$PG_BENCH_URL")
      [ "$p" = fetchq-sqlite ] && args+=(--db "$out/s1.db")
      flock "$LOCK" /usr/bin/time -f 'TIME %e %U %S %M' "$root/fetchq" "${args[@]}" > "$log.json" 2> "$log"
      local verify
      verify=$(cd "$work" && node bench/verify.mjs S1 "$rec" | tail -1)
      line=$(node -e '
        const [run, verify, time] = [JSON.parse(process.argv[1]), JSON.parse(process.argv[2]), process.argv[3].split(" ")];
        console.log(JSON.stringify({label: process.argv[4], run: +process.argv[5], pages_per_s: run.pages_per_s,
          crawl_s: run.crawl_s, peak_rss_mb: run.peak_rss_mb, cpu_s: +(+time[2] + +time[3]).toFixed(2),
          crawl_cpu_s: run.crawl_cpu_s, later_rounds_pages_per_s: run.later_rounds_pages_per_s || null,
          ok: verify.ok, records: verify.records}));' \
        "$(tail -1 "$log.json")" "$verify" "$(grep '^TIME ' "$log" | tail -1)" "$p" "$i")
      rm -f "$rec" "$out"/s1.db*
      ;;
    crawlee-S1-fixed64|plain-S1-pool64)
      local cmd
      if [ "$p" = crawlee-S1-fixed64 ]; then cmd=(node node/crawlee-bench.mjs --workload S1 --variant fixed64)
      else cmd=(node node/plain-bench.mjs --workload S1 --concurrency 64); fi
      (cd "$work" && rm -rf storage data/plain-*.jsonl && BENCH_LABEL=$p BENCH_RUN=$i \
        flock "$LOCK" /usr/bin/time -f 'TIME %e %U %S %M' "${cmd[@]}" > "$log" 2>&1)
      line=$(node -e '
        const run = JSON.parse(process.argv[1].replace(/^RESULT /, "")), time = process.argv[2].split(" ");
        console.log(JSON.stringify({label: process.argv[3], run: +process.argv[4], pages_per_s: run.pagesPerSec,
          crawl_s: run.seconds, peak_rss_mb: Math.round(+time[4] / 1024), cpu_s: +(+time[2] + +time[3]).toFixed(2),
          ok: run.ok, records: run.stored}));' \
        "$(grep '^RESULT ' "$log" | tail -1)" "$(grep '^TIME ' "$log" | tail -1)" "$p" "$i")
      ;;
    *) echo "bench-scrape: unknown product $p" >&2; return 1 ;;
  esac
  echo "$line" | tee -a "$results"
}

for i in $(seq 1 "$RUNS"); do
  for p in "${PRODUCTS[@]}"; do
    echo "== $p run $i" >&2
    run_one "$p" "$i" || echo "!! $p run $i failed (see $out/$p.run$i.log)" >&2
  done
done

node -e '
  const fs = require("fs");
  const rows = fs.readFileSync(process.argv[1], "utf8").trim().split("\n").filter(Boolean).map(JSON.parse);
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
  const labels = [...new Set(rows.map((r) => r.label))];
  const out = ["| product | runs ok/total | pages/s (median) | min-max pages/s | peak RSS MiB (median) | CPU s (median) | later rounds pages/s (median of each run) |",
               "|---|---|---|---|---|---|---|"];
  for (const l of labels) {
    const rs = rows.filter((r) => r.label === l), ok = rs.filter((r) => r.ok);
    const pps = ok.map((r) => r.pages_per_s);
    const later = ok.filter((r) => r.later_rounds_pages_per_s).map((r) => median(r.later_rounds_pages_per_s));
    out.push(`| ${l} | ${ok.length}/${rs.length} | ${pps.length ? median(pps).toFixed(1) : "-"} | ${pps.length ? Math.min(...pps).toFixed(0) + "-" + Math.max(...pps).toFixed(0) : "-"} | ${ok.length ? median(ok.map((r) => r.peak_rss_mb)) : "-"} | ${ok.length ? median(ok.map((r) => r.cpu_s)).toFixed(1) : "-"} | ${later.length ? median(later).toFixed(0) : "-"} |`);
  }
  console.log(out.join("\n"));' "$results" | tee "$out/summary.md"
