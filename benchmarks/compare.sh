#!/usr/bin/env bash
# The service against the peer (benchmarks/peer: FastAPI + uvicorn + numpy + scikit-learn), side by side in one run,
# loopback only, alternating rounds and reporting medians (the method is at the top of docs/benchmarks.md):
#   1. 100-sample requests: wrk -t2 -c32 -d10s, ROUNDS rounds each (peer with 1 and 2 workers);
#   2. one 1,000,000-sample JSON request with losses: curl, ROUNDS timed requests each after 2 warm-ups;
#   3. the same million samples as Arrow (labels float64; int8; int8 in 64K-row record batches), as CSV, and as JSON
#      without losses (service only).
# Beside them runs the Kestrel floor (benchmarks/KestrelFloor: a bare minimal API that reads the body and answers a
# fixed text), so that the figures say how much of a request's time is HTTP alone.
# With BASELINE=<git revision> the service built from that revision runs beside this one ("base"), measured in the same
# alternated rounds, so that a change is judged old against new in one run.
# Usage: bash benchmarks/compare.sh   Environment: ROUNDS (3), DURATION (10s), BASELINE (none).
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${ROUNDS:-3}
duration=${DURATION:-10s}
ours=18100
peer1=18201
peer2=18202
floor=18203
base=18101
source benchmarks/common.sh
services="ours:$ours"

need=()
command -v wrk > /dev/null || need+=(wrk)
/usr/bin/python3 -c 'import fastapi, uvicorn, sklearn' 2>/dev/null || need+=(python3-fastapi python3-uvicorn python3-sklearn)
if [ ${#need[@]} -gt 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"; fi

echo "compare: bodies and the published service"
dotnet run -c Release --project benchmarks/LogLossApi.Benchmarks -- --write-bodies "$work" > /dev/null
dotnet publish src/LogLossApi/LogLossApi.csproj -c Release -o "$work/app" --nologo -v q > /dev/null
dotnet publish benchmarks/KestrelFloor/KestrelFloor.csproj -c Release -o "$work/floor" --nologo -v q > /dev/null
if [ -n "${BASELINE:-}" ]; then
  git worktree add -f -q "$work/base-src" "$BASELINE"
  dotnet publish "$work/base-src/src/LogLossApi/LogLossApi.csproj" -c Release -o "$work/base" --nologo -v q > /dev/null
  git worktree remove --force "$work/base-src"
  (cd "$work/base" && ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$base" Serilog__MinimumLevel__Default=Warning exec dotnet LogLossApi.dll) > "$work/base.log" 2>&1 &
  pids+=($!)
  services="$services base:$base"
fi

(cd "$work/app" && ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$ours" Serilog__MinimumLevel__Default=Warning exec dotnet LogLossApi.dll) > "$work/ours.log" 2>&1 &
pids+=($!)
(cd "$work/floor" && ASPNETCORE_URLS="http://127.0.0.1:$floor" exec dotnet KestrelFloor.dll) > "$work/floor.log" 2>&1 &
pids+=($!)
(cd benchmarks/peer && exec /usr/bin/python3 serve.py "$peer1" 1) > "$work/peer1.log" 2>&1 &
pids+=($!)
(cd benchmarks/peer && exec /usr/bin/python3 serve.py "$peer2" 2) > "$work/peer2.log" 2>&1 &
pids+=($!)
for port in $ours $peer1 $peer2 $floor ${BASELINE:+$base}; do
  for _ in $(seq 1 60); do curl -s -o /dev/null -X POST "http://127.0.0.1:$port/v1/log-loss" -H 'Content-Type: application/json' --data-binary @"$work/small.json" && break; sleep 0.5; done
done

echo "compare: warm-up"
for port in $ours $peer1 $peer2 $floor ${BASELINE:+$base}; do
  wrk -t2 -c32 -d3s -s benchmarks/post.lua "http://127.0.0.1:$port/v1/log-loss" -- "$work/small.json" > /dev/null
  post_time "$port" "$work/million.json" application/json > /dev/null
  post_time "$port" "$work/million.json" application/json > /dev/null
done
for service in $services; do
  port=${service#*:}
  post_time "$port" "$work/million.arrow" application/vnd.apache.arrow.stream > /dev/null
  post_time "$port" "$work/million-int8.arrow" application/vnd.apache.arrow.stream '?includeLosses=false' > /dev/null
  post_time "$port" "$work/million-int8-batched.arrow" application/vnd.apache.arrow.stream '?includeLosses=false' > /dev/null
  post_time "$port" "$work/million.csv" text/csv > /dev/null
done

echo "compare: 1. 100-sample requests, wrk -t2 -c32 -d$duration, $rounds alternated rounds"
for round in $(seq 1 "$rounds"); do
  for name in $services peer1:$peer1 peer2:$peer2 floor:$floor; do
    wrk -t2 -c32 -d"$duration" --latency -s benchmarks/post.lua "http://127.0.0.1:${name#*:}/v1/log-loss" -- "$work/small.json" \
      | awk -v n="${name%%:*}" '/^RESULT/ { print n, $0 }' | tee -a "$work/small.txt"
  done
done

echo "compare: 2./3. one 1,000,000-sample request, $rounds alternated rounds (seconds, curl time_total)"
for round in $(seq 1 "$rounds"); do
  for service in $services; do
    name=${service%%:*}
    port=${service#*:}
    echo "$name-json $(post_time "$port" "$work/million.json" application/json)" >> "$work/large.txt"
    if [ "$name" = ours ]; then
      echo "peer2-json $(post_time $peer2 "$work/million.json" application/json)" >> "$work/large.txt"
      echo "peer1-json $(post_time $peer1 "$work/million.json" application/json)" >> "$work/large.txt"
    fi
    echo "$name-json-nolosses $(post_time "$port" "$work/million-nolosses.json" application/json)" >> "$work/large.txt"
    echo "$name-arrow $(post_time "$port" "$work/million.arrow" application/vnd.apache.arrow.stream '?includeLosses=false')" >> "$work/large.txt"
    echo "$name-arrow-losses $(post_time "$port" "$work/million.arrow" application/vnd.apache.arrow.stream)" >> "$work/large.txt"
    echo "$name-arrow-int8 $(post_time "$port" "$work/million-int8.arrow" application/vnd.apache.arrow.stream '?includeLosses=false')" >> "$work/large.txt"
    echo "$name-arrow-batched $(post_time "$port" "$work/million-int8-batched.arrow" application/vnd.apache.arrow.stream '?includeLosses=false')" >> "$work/large.txt"
    echo "$name-csv $(post_time "$port" "$work/million.csv" text/csv '?includeLosses=false')" >> "$work/large.txt"
  done
  echo "floor-json $(post_time $floor "$work/million.json" application/json)" >> "$work/large.txt"
  echo "floor-arrow $(post_time $floor "$work/million.arrow" application/vnd.apache.arrow.stream)" >> "$work/large.txt"
  echo "floor-arrow-int8 $(post_time $floor "$work/million-int8.arrow" application/vnd.apache.arrow.stream)" >> "$work/large.txt"
done

echo
echo "== results (medians of $rounds rounds)"
for n in ours ${BASELINE:+base} peer1 peer2 floor; do
  printf '%-6s 100 samples: requests/s %s; p99 ms %s\n' "$n" \
    "$(awk -v n=$n '$1 == n { split($3, a, "="); print a[2] }' "$work/small.txt" | median_range)" \
    "$(awk -v n=$n '$1 == n { split($5, a, "="); print a[2] }' "$work/small.txt" | median_range)"
done
large_names="peer2-json peer1-json floor-json floor-arrow floor-arrow-int8"
for service in $services; do
  for kind in json json-nolosses arrow arrow-losses arrow-int8 arrow-batched csv; do large_names="${service%%:*}-$kind $large_names"; done
done
for n in $large_names; do
  printf '%-19s 1M samples: seconds %s\n' "$n" "$(awk -v n=$n '$1 == n { print $2 }' "$work/large.txt" | median_range)"
done
machine
