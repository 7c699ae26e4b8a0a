#!/usr/bin/env bash
# Runs `fetchq bench broker` ROUNDS times on SQLite and on PostgreSQL, stores interleaved, and prints the
# medians. Each run: a 40,000-message warm-up, then MESSAGES messages sent by 2 producers in batches of 10
# while 8 consumers long-poll (max=10) and delete in batches (end-to-end messages/s), then 2,000 messages one
# at a time to waiting consumers (send-to-receive latency; on PostgreSQL also with the consumers on a second
# node). Results: target/bench/broker-<UTC time>/.
#
#   scripts/bench-broker.sh                      # 3 rounds, both stores
#   ROUNDS=1 STORES=postgresql scripts/bench-broker.sh
#
# Needs PostgreSQL for the postgresql store (PG_BENCH_URL, default postgresql://postgres@127.0.0.1:5432/bench;
# its schema fetchq_bench_broker is dropped and made anew).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
ROUNDS=${ROUNDS:-3}
STORES=${STORES:-"sqlite postgresql"}
MESSAGES=${MESSAGES:-100000}
PG_BENCH_URL=${PG_BENCH_URL:-postgresql://postgres@127.0.0.1:5432/bench}
"$root/fetchq" --version > /dev/null   # builds the jar if needed (not timed)

ts=$(date -u +%Y%m%dT%H%M%SZ)
out=$root/target/bench/broker-$ts
mkdir -p "$out"
{ echo "date_utc=$ts"; echo "nproc=$(nproc)"; lscpu | grep -E 'Model name'; "$root/fetchq" --version | head -1;
  echo "messages=$MESSAGES"; } > "$out/machine.txt"
for round in $(seq 1 "$ROUNDS"); do
  for store in $STORES; do
    if [ "$store" = sqlite ]; then db=$out/scratch.db; else db=$PG_BENCH_URL; fi
    rm -f "$out/scratch.db" "$out/scratch.db-wal" "$out/scratch.db-shm"
    echo "bench-broker: round $round, $store" >&2
    "$root/fetchq" bench broker --db "$db" --messages "$MESSAGES" 2> "$out/$store-$round.log" | tail -n 1 >> "$out/$store.jsonl"
    grep -v 'INFO  access' "$out/$store-$round.log" > "$out/$store-$round.tmp" || true   # one access line per request
    mv "$out/$store-$round.tmp" "$out/$store-$round.log"
  done
done
python3 - "$out" $STORES <<'PY' | tee "$out/summary.md"
import json, statistics, sys
out = sys.argv[1]
print("| store | e2e msgs/s (median, runs) | send msgs/s | latency p50 / p95 / p99 ms | across nodes p50 / p95 / p99 ms |")
print("|---|---|---|---|---|")
for store in sys.argv[2:]:
    runs = [json.loads(l) for l in open(f"{out}/{store}.jsonl") if l.strip()]
    med = lambda f: statistics.median(f(r) for r in runs)
    print(f"| {store} | {med(lambda r: r['e2e_msgs_per_s']):,.0f} ({', '.join(str(r['e2e_msgs_per_s']) for r in runs)}) "
          f"| {med(lambda r: r['send_msgs_per_s']):,.0f} | {med(lambda r: r['latency_ms']['p50'])} / "
          f"{med(lambda r: r['latency_ms']['p95'])} / {med(lambda r: r['latency_ms']['p99'])} | "
          + (f"{med(lambda r: r['latency_across_nodes_ms']['p50'])} / {med(lambda r: r['latency_across_nodes_ms']['p95'])} / "
             f"{med(lambda r: r['latency_across_nodes_ms']['p99'])} |" if 'latency_across_nodes_ms' in runs[0] else "– |"))
PY
