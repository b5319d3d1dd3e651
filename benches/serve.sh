#!/usr/bin/env bash
# Load benchmark of `pjece serve` (docs/performance.md, "Web server"): 16 concurrent clients
# (wrk, 2 threads) POST a neck handout to /api/handout, each with another patient name, so
# nothing can be answered from a cache; latency percentiles per round and the server's
# resident memory after each, over more than 10,000 PDFs. Not a test: figures depend on the
# machine and its load (`uptime` is printed with them).
#
#   benches/serve.sh                  # builds target/release/pjece if missing
#   PJECE=path/to/pjece ROUNDS=5 SECONDS_PER_ROUND=10 benches/serve.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "benches/serve.sh needs wrk (apt-get install wrk)" >&2; exit 1; }
bin=${PJECE:-target/release/pjece}
[ -x "$bin" ] || cargo build --release --locked --bin pjece
rounds=${ROUNDS:-5}
per_round=${SECONDS_PER_ROUND:-10}
clients=${CLIENTS:-16}
threads=$((clients < 2 ? clients : 2))

tmp=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
# The log goes to /dev/null as a clinic's terminal would scroll it; it is still written.
XDG_CONFIG_HOME="$tmp/no-config" "$bin" serve --port 0 --no-clinic >"$tmp/out" 2>/dev/null &
pid=$!
for _ in $(seq 100); do grep -q 'http://' "$tmp/out" 2>/dev/null && break; sleep 0.05; done
url=$(grep -o 'http://127.0.0.1:[0-9]*' "$tmp/out")

# The next appointment two weeks from today, so the library accepts it on any day.
NEXT="$(date -d '+14 days' +%F) 10:30"
export NEXT
cat >"$tmp/post.lua" <<'LUA'
local n = 0
local next = os.getenv("NEXT")
request = function()
  n = n + 1
  local body = '{"region": "cervical", "name": "Patient ' .. n .. '", ' ..
    '"advice": ["hold-dig-aktiv", "daglige-vaner", "tag-ansvar"], ' ..
    '"goals": ["Gå en tur hver dag"], "next": "' .. next .. '"}'
  return wrk.format("POST", "/api/handout", {["Content-Type"] = "application/json"}, body)
end
done = function(summary, latency, requests)
  local codes = summary.errors.status
  io.write(string.format("requests %d  non-2xx %d  p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms  %.0f/s\n",
    summary.requests, codes, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, summary.requests / (summary.duration / 1e6)))
end
LUA

rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$pid/status"; }
echo "pjece serve at $url: $(nproc) cores, $(uptime | sed 's/.*load/load/')"
echo "RSS at start: $(rss)"
wrk -t"$threads" -c"$clients" -d3s -s "$tmp/post.lua" "$url" >/dev/null
echo "RSS after a 3 s warm-up: $(rss)"
for round in $(seq "$rounds"); do
  line=$(wrk -t"$threads" -c"$clients" -d"${per_round}s" -s "$tmp/post.lua" "$url" | grep '^requests')
  echo "round $round, $clients clients: $line; RSS $(rss)"
done
