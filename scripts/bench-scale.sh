#!/usr/bin/env bash
# Measures drain throughput with several worker processes on one PostgreSQL (docs/SCALING.md): for each
# count in WORKERS, a fresh schema migrated by `fetchq migrate`, one `fetchq api` process (no workers) and
# N `fetchq worker` processes started with --no-migrate; the S1 corpus's 5,000 URLs (nginx on 127.0.0.1) are
# submitted as one job twice with max age 0: a first pass warms the JVMs up, the second is timed, from the
# job's created_at to its finished_at as the server recorded them. Results: target/bench/scale-<UTC>/.
#
#   scripts/bench-scale.sh                      # 1, 2 and 4 workers, 64 fetches at once in each
#
# The corpus is one host, so the per-host concurrency is set to the workers' total fetch concurrency:
# the host's slots are then never what a fetch waits for (with 64 for 4 x 64 handlers, the 192 without a
# slot kept re-trying, each try a transaction on the host's row, and 4 workers drained 86 pages/s).
#   WORKERS="1 3" FETCH_CONCURRENCY=32 scripts/bench-scale.sh
#
# Needs: nginx and node (for the corpus, see scripts/s1-site.sh), PostgreSQL (PG_BENCH_URL, default
# postgresql://postgres@127.0.0.1:5432/bench; its schema fetchq_bench_scale is dropped and made anew).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
WORKERS=${WORKERS:-"1 2 4"}
FETCH_CONCURRENCY=${FETCH_CONCURRENCY:-64}
PORT=${PORT:-18490}
PG_BENCH_URL=${PG_BENCH_URL:-postgresql://postgres@127.0.0.1:5432/bench}
db="${PG_BENCH_URL}?currentSchema=fetchq_bench_scale"
server="http://127.0.0.1:$PORT"

# shellcheck source=scripts/s1-site.sh
. "$root/scripts/s1-site.sh"
s1_site_up "$root"
"$root/fetchq" --version > /dev/null   # builds the jar if needed (not timed)
exec 9> /tmp/bench.lock   # the whole run is timed work: no other benchmark shares the machine meanwhile
flock 9

ts=$(date -u +%Y%m%dT%H%M%SZ)
out=$root/target/bench/scale-$ts
mkdir -p "$out"
{ echo "date_utc=$ts"; echo "nproc=$(nproc)"; lscpu | grep -E 'Model name'; "$root/fetchq" --version | head -1;
  echo "corpus=$(cat "$s1_work/site/CORPUS_ID") urls=$(wc -l < "$s1_urls") fetch_concurrency=$FETCH_CONCURRENCY"; } > "$out/machine.txt"
pids=()
stop_all() {
  for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2> /dev/null || true; done
  pids=()
}
trap 'stop_all; s1_site_down' EXIT

# Submits the corpus as one job, waits for it, prints its seconds from created_at to finished_at.
drain() { # log
  "$root/fetchq" submit -f "$s1_urls" --max-age 0 --wait --progress none --json --server "$server" > "$1"
  python3 -c 'import json, sys, datetime as d
j = json.loads(open(sys.argv[1]).read().splitlines()[-1])
t = lambda s: d.datetime.fromisoformat(s.replace("Z", "+00:00"))
assert j["counts"]["completed"] == j["counts"]["total"], j["counts"]
print(round((t(j["finished_at"]) - t(j["created_at"])).total_seconds(), 2))' "$1"
}

echo "| worker processes | pages/s (timed pass) | seconds | first pass (cold JVMs) pages/s |" > "$out/summary.md"
echo "|---|---|---|---|" >> "$out/summary.md"
for n in $WORKERS; do
  echo "bench-scale: $n worker process(es)" >&2
  PGOPTIONS=--client-min-messages=warning psql "$PG_BENCH_URL" -qc 'DROP SCHEMA IF EXISTS fetchq_bench_scale CASCADE' > /dev/null
  "$root/fetchq" migrate --db "$db" > "$out/migrate-$n.log" 2>&1
  FETCHQ_ACCESS_LOG=OFF "$root/fetchq" api --db "$db" --no-migrate --port "$PORT" > "$out/api-$n.log" 2>&1 &
  pids+=($!)
  for w in $(seq 1 "$n"); do
    "$root/fetchq" worker --db "$db" --no-migrate --allow-private-networks --allow-ports '*' \
        --per-host-concurrency "$((FETCH_CONCURRENCY * n))" --per-host-delay 0s --fetch-concurrency "$FETCH_CONCURRENCY" \
        > "$out/worker-$n-$w.log" 2>&1 &
    pids+=($!)
  done
  for _ in $(seq 1 120); do curl -fs -o /dev/null "$server/health" && break; sleep 0.5; done
  for w in $(seq 1 "$n"); do
    for _ in $(seq 1 120); do grep -q "running on" "$out/worker-$n-$w.log" && break; sleep 0.5; done
  done
  cold=$(drain "$out/cold-$n.json")
  warm=$(drain "$out/warm-$n.json")
  total=$(wc -l < "$s1_urls")
  python3 -c 'import sys; n, w, c, t = sys.argv[1:]; print(f"| {n} | {int(t)/float(w):,.0f} | {w} | {int(t)/float(c):,.0f} |")' \
      "$n" "$warm" "$cold" "$total" | tee -a "$out/summary.md"
  stop_all
done
echo "bench-scale: results in $out" >&2
cat "$out/summary.md"
