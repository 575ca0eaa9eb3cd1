#!/usr/bin/env bash
# A replica the autoscaler just started, against a warm one: for each variant, REPEATS fresh processes, each timed
# from start to /health/ready answering 200, then its first 1,000,000-sample requests (JSON with losses, Arrow and
# CSV without), then the same requests four times more unmeasured and three times measured (warm, median): the
# cold / warm ratio is what a user of a new replica sees. Then one more fresh process per variant takes a wrk round of 100-sample requests right after it
# is ready (cold p99), followed by a second round (warm p99).
# Variants (each a published build and environment):
#   no-warm-up            as shipped before the cold-start work: Server GC (DATAS), no warm-up
#   shipped               Server GC with the start-up warm-up (Hosting/WarmUp.cs): what ships now
#   shipped-ready-to-run  the same as a ReadyToRun build
#   workstation-gc        Workstation GC (concurrent) with the warm-up
#   tiered-off            the warm-up, tiered compilation off (every method fully optimised at once, no dynamic PGO)
# Usage: bash benchmarks/coldstart.sh   Environment: REPEATS (3), DURATION (6s), VARIANTS (all of the above).
set -euo pipefail
cd "$(dirname "$0")/.."

repeats=${REPEATS:-3}
duration=${DURATION:-6s}
variants=${VARIANTS:-no-warm-up shipped shipped-ready-to-run workstation-gc tiered-off}
port=18170
source benchmarks/common.sh
command -v wrk > /dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }

echo "coldstart: bodies and the published builds"
dotnet run -c Release --project benchmarks/LogLossApi.Benchmarks -- --write-bodies "$work" > /dev/null
dotnet publish src/LogLossApi/LogLossApi.csproj -c Release -o "$work/app" --nologo -v q > /dev/null
dotnet publish src/LogLossApi/LogLossApi.csproj -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/app-r2r" --nologo -v q > /dev/null

# start VARIANT: starts the variant's process on $port and sets pid.
start() {
  local app="$work/app" env=""
  case "$1" in
    no-warm-up) env="WarmUp__Enabled=false" ;;
    shipped-ready-to-run) app="$work/app-r2r" ;;
    workstation-gc) env="DOTNET_gcServer=0" ;;
    tiered-off) env="DOTNET_TieredCompilation=0" ;;
  esac
  (cd "$app" && exec env $env ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$port" Serilog__MinimumLevel__Default=Warning dotnet LogLossApi.dll) > "$work/service.log" 2>&1 &
  pid=$!
}

wait_ready() { until curl -sf -o /dev/null "http://127.0.0.1:$port/health/ready"; do sleep 0.01; done; }

stop() { kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; }

for variant in $variants; do
  for _ in $(seq 1 "$repeats"); do
    started=$(date +%s.%N)
    start "$variant"
    wait_ready
    ready=$(awk -v a="$(date +%s.%N)" -v b="$started" 'BEGIN { printf "%.3f", a - b }')
    json=$(post_time $port "$work/million.json" application/json)
    arrow=$(post_time $port "$work/million.arrow" application/vnd.apache.arrow.stream '?includeLosses=false')
    csv=$(post_time $port "$work/million.csv" text/csv '?includeLosses=false')
    for _ in 1 2 3 4; do
      post_time $port "$work/million.json" application/json > /dev/null
      post_time $port "$work/million.arrow" application/vnd.apache.arrow.stream '?includeLosses=false' > /dev/null
      post_time $port "$work/million.csv" text/csv '?includeLosses=false' > /dev/null
    done
    : > "$work/warm"
    for _ in 1 2 3; do
      echo "$(post_time $port "$work/million.json" application/json) $(post_time $port "$work/million.arrow" application/vnd.apache.arrow.stream '?includeLosses=false') $(post_time $port "$work/million.csv" text/csv '?includeLosses=false')" >> "$work/warm"
    done
    stop
    echo "$variant $ready $json $arrow $csv $(awk '{ print $1 }' "$work/warm" | median) $(awk '{ print $2 }' "$work/warm" | median) $(awk '{ print $3 }' "$work/warm" | median)" | tee -a "$work/cold.txt"
  done
  start "$variant"
  wait_ready
  cold=$(wrk -t2 -c32 -d"$duration" --latency -s benchmarks/post.lua "http://127.0.0.1:$port/v1/log-loss" -- "$work/small.json" | grep '^RESULT')
  warm=$(wrk -t2 -c32 -d"$duration" --latency -s benchmarks/post.lua "http://127.0.0.1:$port/v1/log-loss" -- "$work/small.json" | grep '^RESULT')
  stop
  echo "$variant cold $cold" | tee -a "$work/wrk.txt"
  echo "$variant warm $warm" | tee -a "$work/wrk.txt"
done

echo
echo "== results (medians of $repeats fresh processes; seconds; ratio = first request / warm median)"
printf '%-21s %8s %22s %22s %22s %18s %18s\n' variant ready "1M JSON first/warm" "1M Arrow first/warm" "1M CSV first/warm" "wrk cold p99 ms" "wrk warm p99 ms"
for variant in $variants; do
  col() { awk -v v="$variant" -v c="$1" '$1 == v { print $c }' "$work/cold.txt" | median; }
  p99() { awk -v v="$variant" -v k="$1" '$1 == v && $2 == k { split($6, a, "="); print a[2] }' "$work/wrk.txt"; }
  rps() { awk -v v="$variant" -v k="$1" '$1 == v && $2 == k { split($4, a, "="); print a[2] }' "$work/wrk.txt"; }
  printf '%-21s %8.2f %9.3f/%.3f (%.1f×) %9.3f/%.3f (%.1f×) %9.3f/%.3f (%.1f×) %8s (%s/s) %8s (%s/s)\n' "$variant" "$(col 2)" \
    "$(col 3)" "$(col 6)" "$(awk -v a="$(col 3)" -v b="$(col 6)" 'BEGIN { print a / b }')" \
    "$(col 4)" "$(col 7)" "$(awk -v a="$(col 4)" -v b="$(col 7)" 'BEGIN { print a / b }')" \
    "$(col 5)" "$(col 8)" "$(awk -v a="$(col 5)" -v b="$(col 8)" 'BEGIN { print a / b }')" \
    "$(p99 cold)" "$(rps cold)" "$(p99 warm)" "$(rps warm)"
done
machine
