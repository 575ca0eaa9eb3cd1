#!/usr/bin/env bash
# Load against the published service on loopback only, bounded in count and time:
#   1. mixed: wrk, 2 threads, 32 connections, 30 s, rotating the seed (10 samples), 100 and 10,000 samples on
#      /v1/log-loss, 100 × 5 on /v1/log-loss/multiclass, the seed's fit on /v1/logistic-regression, the seed on
#      /v1/log-loss/calibration and two 100-sample models on /v1/log-loss/compare;
#      reports requests/s, p50/p99 and the count of non-2xx responses (must be 0);
#   2. large: eight concurrent maximum-size requests (just under Limits:MaxRequestBodyBytes) with the process held
#      to a container-like memory limit; reports each status, the wall time and the peak RSS (VmHWM).
# Usage: bash benchmarks/load.sh [--quick]   (--quick: 5 s of mixed load, for CI)
# Environment: LOAD_PORT (18090), LOAD_DURATION (30s), MEMORY_LIMIT_MB (512), LARGE_SAMPLES (19000000).
set -euo pipefail
cd "$(dirname "$0")/.."

port=${LOAD_PORT:-18090}
duration=${LOAD_DURATION:-30s}
memory_mb=${MEMORY_LIMIT_MB:-512}
large_samples=${LARGE_SAMPLES:-19000000}
[ "${1:-}" = "--quick" ] && { duration=5s; large_samples=${LARGE_SAMPLES:-2000000}; }

command -v wrk > /dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }

work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  jobs -p | xargs -r kill 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "load: dotnet publish -c Release"
dotnet publish src/LogLossApi/LogLossApi.csproj -c Release -o "$work/app" --nologo -v q > /dev/null

# As in a container with --memory ${memory_mb}m: the GC takes 75 % of the limit as its heap limit.
heap_limit=$(printf '0x%x' $((memory_mb * 1024 * 1024 * 3 / 4)))
(cd "$work/app" && DOTNET_GCHeapHardLimit=$heap_limit ASPNETCORE_ENVIRONMENT=Production \
   ASPNETCORE_URLS="http://127.0.0.1:$port" Serilog__MinimumLevel__Default=Warning exec dotnet LogLossApi.dll) > "$work/server.log" 2>&1 &
pid=$!
# As behind a Kubernetes Service: traffic only once /health/ready says the start-up warm-up is done (its allocations
# are not charged to the request memory budget, so under a heap limit they must not overlap the large requests).
for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$port/health/ready" > /dev/null 2>&1 && break; sleep 0.5; done

python3 benchmarks/payloads.py "$work" "$large_samples"

echo "load: warm-up 3 s"
wrk -t2 -c32 -d3s -s benchmarks/mixed.lua "http://127.0.0.1:$port/v1/log-loss" -- "$work" > /dev/null
echo "load: mixed, wrk -t2 -c32 -d$duration (log-loss seed, 100 and 10,000 samples, multiclass, logistic regression, calibration, compare, in rotation)"
wrk -t2 -c32 -d"$duration" --latency -s benchmarks/mixed.lua "http://127.0.0.1:$port/v1/log-loss" -- "$work" | tee "$work/mixed.txt"
grep -q '^non-2xx: 0$' "$work/mixed.txt" || { echo "load: non-2xx responses under mixed load"; exit 1; }

bytes=$(stat -c %s "$work/large.json")
echo "load: 8 concurrent requests of $large_samples samples ($bytes bytes each), memory limit ${memory_mb} MiB (GC heap limit $heap_limit)"
start=$(date +%s.%N)
for i in $(seq 1 8); do
  curl -sS -o "$work/large-$i.out" -w '%{http_code} %{time_total}\n' -H 'Content-Type: application/json' \
    --data-binary @"$work/large.json" "http://127.0.0.1:$port/v1/log-loss" > "$work/large-$i.status" &
done
wait $(jobs -p | grep -v "^$pid$") 2>/dev/null || true
end=$(date +%s.%N)
kill -0 "$pid" || { echo "load: the service died under the large requests"; cat "$work/server.log"; exit 1; }
peak_kib=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status")
for i in $(seq 1 8); do echo "  request $i: status $(cut -d' ' -f1 "$work/large-$i.status"), $(cut -d' ' -f2 "$work/large-$i.status") s"; done
printf 'load: wall %.1f s; peak RSS %d MiB of a %d MiB limit\n' "$(echo "$end - $start" | bc)" $((peak_kib / 1024)) "$memory_mb"
grep -qv '^\(200\|503\) ' "$work"/large-*.status && { echo "load: a large request got neither 200 nor 503"; exit 1; }
[ $((peak_kib / 1024)) -lt "$memory_mb" ] || { echo "load: peak RSS is over the memory limit"; exit 1; }
curl -fsS "http://127.0.0.1:$port/health/live" > /dev/null
echo "load: passed"
