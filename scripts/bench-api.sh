#!/usr/bin/env bash
# Measures the HTTP API with wrk against a real `fetchq api` process (no workers: submitted jobs stay
# queued), on SQLite and on PostgreSQL: POST /jobs (one new URL each) and GET /jobs/{id} (random jobs
# submitted before), each after a warm-up, ROUNDS times, stores interleaved. wrk and the server share the
# machine. Results: target/bench/api-<UTC time>/ (wrk output per run, summary.md). The first warm-up is
# long because on two cores the JIT compilers take most of a minute under this load to reach steady state
# (POST /jobs climbs from ~900/s in the first 10 s to its plateau after ~50 s); the reads then reuse that
# compiled server path and need less.
#
#   scripts/bench-api.sh                     # 3 rounds, both stores, 32 connections, 10 s per measurement
#   ROUNDS=1 STORES=postgresql CONNECTIONS=64 scripts/bench-api.sh
#
# Needs: wrk (apt-get install -y wrk), PostgreSQL for the postgresql store (PG_BENCH_URL, default
# postgresql://postgres@127.0.0.1:5432/bench; its schema fetchq_bench_api is dropped and made anew).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
command -v wrk > /dev/null || { echo "bench-api: needs wrk (apt-get install -y wrk)" >&2; exit 1; }
ROUNDS=${ROUNDS:-3}
STORES=${STORES:-"sqlite postgresql"}
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-60s}
GET_WARMUP=${GET_WARMUP:-10s}
PORT=${PORT:-18480}
PG_BENCH_URL=${PG_BENCH_URL:-postgresql://postgres@127.0.0.1:5432/bench}
"$root/fetchq" --version > /dev/null   # builds the jar if needed (not timed)

ts=$(date -u +%Y%m%dT%H%M%SZ)
out=$root/target/bench/api-$ts
mkdir -p "$out"
{ echo "date_utc=$ts"; echo "nproc=$(nproc)"; lscpu | grep -E 'Model name'; "$root/fetchq" --version | head -1;
  (wrk -v 2>&1 || true) | head -1; echo "connections=$CONNECTIONS duration=$DURATION warmup=$WARMUP get_warmup=$GET_WARMUP"; } > "$out/machine.txt"
server=
cleanup() { if [ -n "$server" ]; then kill "$server" 2> /dev/null || true; wait "$server" 2> /dev/null || true; fi; }
trap cleanup EXIT

start_server() {
  local store=$1 db
  if [ "$store" = sqlite ]; then
    db=$out/scratch.db; rm -f "$db" "$db-wal" "$db-shm"
  else
    PGOPTIONS=--client-min-messages=warning psql "${PG_BENCH_URL}" -qc 'DROP SCHEMA IF EXISTS fetchq_bench_api CASCADE; CREATE SCHEMA fetchq_bench_api' > /dev/null
    db="${PG_BENCH_URL}?currentSchema=fetchq_bench_api"
  fi
  FETCHQ_ACCESS_LOG=${FETCHQ_ACCESS_LOG:-INFO} "$root/fetchq" api --db "$db" --port "$PORT" --db-pool-size 40 \
      > "$out/server-$store-$round.log" 2>&1 &
  server=$!
  for _ in $(seq 1 120); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/health" && return 0; sleep 0.5; done
  echo "bench-api: the server did not start; see $out/server-$store-$round.log" >&2; exit 1
}

for round in $(seq 1 "$ROUNDS"); do
  for store in $STORES; do
    echo "bench-api: round $round, $store" >&2
    start_server "$store"
    wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" -s "$root/scripts/wrk/post-jobs.lua" "http://127.0.0.1:$PORT" > /dev/null
    wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$root/scripts/wrk/post-jobs.lua" "http://127.0.0.1:$PORT" \
        > "$out/$store-$round-post.txt"
    curl -fs "http://127.0.0.1:$PORT/jobs?limit=1000" | python3 -c 'import sys, json; [print(j["id"]) for j in json.load(sys.stdin)["jobs"]]' \
        > "$out/ids.txt"
    IDS_FILE=$out/ids.txt wrk -t2 -c"$CONNECTIONS" -d"$GET_WARMUP" -s "$root/scripts/wrk/get-jobs.lua" "http://127.0.0.1:$PORT" > /dev/null
    IDS_FILE=$out/ids.txt wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$root/scripts/wrk/get-jobs.lua" \
        "http://127.0.0.1:$PORT" > "$out/$store-$round-get.txt"
    cleanup; server=
  done
done

python3 - "$out" "$ROUNDS" "$STORES" > "$out/summary.md" <<'PY'
import re, statistics, sys
out, rounds, stores = sys.argv[1], int(sys.argv[2]), sys.argv[3].split()
def parse(path):
    t = open(path).read()
    rps = float(re.search(r'Requests/sec:\s+([\d.]+)', t).group(1))
    def pct(p):
        m = re.search(r'\s%s%%\s+([\d.]+)(us|ms|s)' % p, t)
        v = float(m.group(1)); return v / 1000 if m.group(2) == 'us' else v * 1000 if m.group(2) == 's' else v
    errors = re.search(r'Non-2xx or 3xx responses: (\d+)', t)
    return rps, pct(50), pct(99), int(errors.group(1)) if errors else 0
print("| store | phase | requests/s (median) | min-max | p50 ms | p99 ms | non-2xx |")
print("|---|---|---|---|---|---|---|")
for store in stores:
    for phase, name in (("post", "POST /jobs"), ("get", "GET /jobs/{id}")):
        runs = [parse(f"{out}/{store}-{r}-{phase}.txt") for r in range(1, rounds + 1)]
        med = statistics.median(r[0] for r in runs)
        mid = min(runs, key=lambda r: abs(r[0] - med))
        print(f"| {store} | {name} | {med:,.0f} | {min(r[0] for r in runs):,.0f}-{max(r[0] for r in runs):,.0f} "
              f"| {mid[1]:.1f} | {mid[2]:.1f} | {sum(r[3] for r in runs)} |")
PY
cat "$out/summary.md"
echo "bench-api: results in $out" >&2
