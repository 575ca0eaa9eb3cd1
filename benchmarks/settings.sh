#!/usr/bin/env bash
# The runtime settings, chosen by measurement: one published build started once per setting (all at the same time,
# on loopback), then measured side by side in alternated rounds:
#   cold: process start to the first answer, the first 100-sample request, the first 1,000,000-sample request;
#   warm: 100-sample requests (wrk -t2 -c32 -d${DURATION}, requests/s, p99, server CPU per request from /proc),
#         one 1,000,000-sample JSON request with losses (curl, median), peak RSS (VmHWM) at the end.
# Settings: the shipped ones (Server GC, which in .NET 10 adapts its heap count, DATAS; tiered PGO on), Server GC
# without DATAS, Workstation GC (concurrent and not), tiered PGO off, tiered compilation off, loops fully optimised
# at once (no quick JIT for loops), and a ReadyToRun build.
# Usage: bash benchmarks/settings.sh   Environment: ROUNDS (3), DURATION (8s).
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${ROUNDS:-3}
duration=${DURATION:-8s}
source benchmarks/common.sh
names=(shipped server-gc-no-datas workstation-gc workstation-gc-nonconcurrent tiered-pgo-off tiered-compilation-off no-quick-jit-for-loops ready-to-run)
settings=("" "DOTNET_GCDynamicAdaptationMode=0" "DOTNET_gcServer=0" "DOTNET_gcServer=0 DOTNET_gcConcurrent=0" "DOTNET_TieredPGO=0" "DOTNET_TieredCompilation=0" "DOTNET_TC_QuickJitForLoops=0" "")

echo "settings: bodies and the published service"
dotnet run -c Release --project benchmarks/LogLossApi.Benchmarks -- --write-bodies "$work" > /dev/null
dotnet publish src/LogLossApi/LogLossApi.csproj -c Release -o "$work/app" --nologo -v q > /dev/null
dotnet publish src/LogLossApi/LogLossApi.csproj -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/app-ready-to-run" --nologo -v q > /dev/null

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

echo "settings: cold start, one setting at a time"
for i in "${!names[@]}"; do
  port=$((18160 + i))
  started=$(date +%s.%N)
  app="$work/app"
  if [ "${names[$i]}" = ready-to-run ]; then app="$work/app-ready-to-run"; fi
  (cd "$app" && exec env ${settings[$i]} ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$port" Serilog__MinimumLevel__Default=Warning dotnet LogLossApi.dll) > "$work/${names[$i]}.log" 2>&1 &
  pids[$i]=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/health/live"; do sleep 0.02; done
  up=$(awk -v a="$(date +%s.%N)" -v b="$started" 'BEGIN { printf "%.2f", a - b }')
  small=$(post_time "$port" "$work/small.json" application/json)
  large=$(post_time "$port" "$work/million.json" application/json)
  echo "${names[$i]} start_s=$up first_small_s=$small first_1M_s=$large" | tee -a "$work/cold.txt"
done

echo "settings: warm-up"
for i in "${!names[@]}"; do
  port=$((18160 + i))
  wrk -t2 -c32 -d3s -s benchmarks/post.lua "http://127.0.0.1:$port/v1/log-loss" -- "$work/small.json" > /dev/null
  post_time "$port" "$work/million.json" application/json > /dev/null
done

echo "settings: $rounds alternated rounds"
for round in $(seq 1 "$rounds"); do
  for i in "${!names[@]}"; do
    port=$((18160 + i))
    before=$(cpu_ticks "${pids[$i]}")
    result=$(wrk -t2 -c32 -d"$duration" --latency -s benchmarks/post.lua "http://127.0.0.1:$port/v1/log-loss" -- "$work/small.json" | grep '^RESULT')
    after=$(cpu_ticks "${pids[$i]}")
    echo "${names[$i]} $result cpu_ticks=$((after - before))" >> "$work/small.txt"
    echo "${names[$i]} $(post_time "$port" "$work/million.json" application/json)" >> "$work/large.txt"
  done
done

echo
echo "== results (medians of $rounds rounds; CPU per request = server user + system time / requests)"
seconds=${duration%s}
hz=$(getconf CLK_TCK)
for i in "${!names[@]}"; do
  n=${names[$i]}
  rps=$(awk -v n="$n" '$1 == n { split($3, a, "="); print a[2] }' "$work/small.txt" | median)
  p99=$(awk -v n="$n" '$1 == n { split($5, a, "="); print a[2] }' "$work/small.txt" | median)
  cpu=$(awk -v n="$n" -v s="$seconds" -v hz="$hz" '$1 == n { split($3, a, "="); split($7, c, "="); print c[2] / hz * 1e6 / (a[2] * s) }' "$work/small.txt" | median)
  large=$(awk -v n="$n" '$1 == n { print $2 }' "$work/large.txt" | median)
  rss=$(awk '/^VmHWM/ { print int($2 / 1024) }' "/proc/${pids[$i]}/status")
  printf '%-29s 100 samples: %6.0f req/s, p99 %5.2f ms, %5.1f µs CPU/request; 1M JSON: %.3f s; peak RSS %d MiB; cold: %s\n' \
    "$n" "$rps" "$p99" "$cpu" "$large" "$rss" "$(grep "^$n " "$work/cold.txt" | cut -d' ' -f2-)"
done
machine
