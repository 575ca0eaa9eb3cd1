#!/usr/bin/env bash
# Issue 16: 1M rows in every body format and both answers, side by side in one run of one published build, beside the
# Kestrel floor fed the same request bytes and answering as many bytes as the service's answer (so the floor is HTTP
# alone for exactly those bytes). 7 rounds, the order rotating each round; medians (min, max). Loopback only; cleans up.
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/common.sh
rounds=${ROUNDS:-7}
port=${PORT:-18096}
floor=${FLOOR_PORT:-18097}

dotnet run -c Release --project benchmarks/LogLossApi.Benchmarks -- --write-bodies "$work" > /dev/null
dotnet publish src/LogLossApi/LogLossApi.csproj -c Release -o "$work/app" --nologo -v q > /dev/null
dotnet publish benchmarks/KestrelFloor/KestrelFloor.csproj -c Release -o "$work/floor" --nologo -v q > /dev/null
(cd "$work/app" && ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$port" exec dotnet LogLossApi.dll) > "$work/server.log" 2>&1 &
pids+=($!)
(cd "$work/floor" && ASPNETCORE_URLS="http://127.0.0.1:$floor" exec dotnet KestrelFloor.dll) > "$work/floor.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 240); do curl -fsS "http://127.0.0.1:$port/health/ready" > /dev/null 2>&1 && break; sleep 0.5; done

arrow=application/vnd.apache.arrow.stream
parquet=application/vnd.apache.parquet
# name | body | content type | query | accept
cases=(
  "json-in-json-out|million.json|application/json||application/json"
  "arrow-in-json-out|million.arrow|$arrow||application/json"
  "arrow-in-arrow-out|million.arrow|$arrow||$arrow"
  "parquet-in-json-out|million.parquet|$parquet||application/json"
  "parquet-in-arrow-out|million.parquet|$parquet||$arrow"
  "parquet-in-no-losses|million.parquet|$parquet|?includeLosses=false|application/json"
)
# One request: "seconds bytes-answered" (curl), failing on a non-2xx answer.
request() {
  curl -sf -o /dev/null -w '%{time_total} %{size_download}\n' -H "Content-Type: $3" -H "Accept: $5" -H 'Expect:' \
    --data-binary @"$work/$2" "http://127.0.0.1:$1/v1/log-loss$4"
}
declare -A times sizes floors
for c in "${cases[@]}"; do IFS='|' read -r name body type query accept <<< "$c"; read -r _ sizes[$name] <<< "$(request "$port" "$body" "$type" "$query" "$accept")"; done
for round in $(seq 1 "$rounds"); do
  count=${#cases[@]}
  for k in $(seq 0 $((count - 1))); do
    IFS='|' read -r name body type query accept <<< "${cases[$(( (k + round) % count ))]}"
    read -r seconds _ <<< "$(request "$port" "$body" "$type" "$query" "$accept")"
    times[$name]+="$seconds "
    read -r seconds _ <<< "$(request "$floor" "$body" "$type" "?answerBytes=${sizes[$name]}" "$accept")"
    floors[$name]+="$seconds "
  done
done

echo "| 1M rows | request | answer | service (s) | Kestrel floor, same bytes (s) | service − floor (s) |"
echo "|---|---|---|---|---|---|"
for c in "${cases[@]}"; do
  IFS='|' read -r name body _ _ _ <<< "$c"
  ours=$(tr ' ' '\n' <<< "${times[$name]}" | grep . | median)
  bare=$(tr ' ' '\n' <<< "${floors[$name]}" | grep . | median)
  echo "| $name | $(( $(stat -c %s "$work/$body") / 1000000 )) MB | $(( ${sizes[$name]} / 1000000 )) MB | $(tr ' ' '\n' <<< "${times[$name]}" | grep . | median_range) | $bare | $(awk -v a="$ours" -v b="$bare" 'BEGIN { printf "%.3f", a - b }') |"
done
machine
