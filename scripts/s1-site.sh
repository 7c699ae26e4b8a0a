# shellcheck shell=bash
# Sourced by the scripts that use workload S1's corpus (../shared/bench/WORKLOADS.md): s1_site_up copies the
# peers' harness to target/bench-peers/scrape (kept between runs), generates the 5,000-page corpus once,
# and starts nginx on 127.0.0.1:18080 unless it is already up; it sets $s1_work (the copy) and $s1_urls (the
# URL list). s1_site_down stops nginx if s1_site_up started it. Needs nginx and node, and the harness at
# ../shared/bench/scrape or BENCH_SCRAPE_DIR.
s1_site_up() { # root
  local root=$1 src=${BENCH_SCRAPE_DIR:-$1/../shared/bench/scrape} f
  [ -d "$src/node" ] || { echo "s1-site: no peers' harness at $src (set BENCH_SCRAPE_DIR)" >&2; return 1; }
  command -v nginx > /dev/null || { echo "s1-site: needs nginx (apt-get install -y nginx)" >&2; return 1; }
  # The shared folder is read-only: work on a copy.
  s1_work=$root/target/bench-peers/scrape
  mkdir -p "$s1_work/data"
  for f in README.md bench conf gen-site.mjs gen-site.sh node run-all.sh slow-server.mjs start-site.sh stop-site.sh; do
    if [ "$f" = node ]; then
      mkdir -p "$s1_work/node" && cp "$src"/node/*.mjs "$src"/node/package*.json "$s1_work/node/"
    else
      cp -r "$src/$f" "$s1_work/"
    fi
  done
  [ -f "$s1_work/site/CORPUS_ID" ] || (cd "$s1_work" && ./gen-site.sh)
  s1_started=0
  if ! curl -fs -o /dev/null http://127.0.0.1:18080/index.html; then
    (cd "$s1_work" && ./start-site.sh)
    s1_started=1
  fi
  s1_urls=$s1_work/site/urls.txt
}

s1_site_down() {
  if [ "${s1_started:-0}" = 1 ]; then (cd "$s1_work" && ./stop-site.sh); fi
}
