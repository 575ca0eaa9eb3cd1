#!/usr/bin/env bash
# The Dask example's throughput (rows/s from submitting the partitions' tasks to having every state) with one and with
# two replicas of the published service, alternated in one run (ROUNDS rounds, medians per kind). Needs Debian's
# python3-dask, python3-distributed, python3-pandas and python3-requests. Loopback only; cleans up.
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/common.sh
rounds=${ROUNDS:-3}
ports=(18096 18097)

dotnet publish src/LogLossApi/LogLossApi.csproj -c Release -o "$work/app" --nologo -v q > /dev/null
for port in "${ports[@]}"; do
  (cd "$work/app" && ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$port" exec dotnet LogLossApi.dll) > "$work/server-$port.log" 2>&1 &
  pids+=($!)
done
for port in "${ports[@]}"; do
  for _ in $(seq 1 240); do curl -fsS "http://127.0.0.1:$port/health/ready" > /dev/null 2>&1 && break; sleep 0.5; done
done

one="http://127.0.0.1:${ports[0]}"
two="$one,http://127.0.0.1:${ports[1]}"
for _ in $(seq 1 "$rounds"); do
  for services in "$one" "$two"; do
    /usr/bin/python3 examples/dask/score_with_dask.py --services "$services" --data "$work/data" 2> /dev/null | tee -a "$work/runs.txt"
  done
done

echo
echo "| kind | rows/s, 1 replica | rows/s, 2 replicas | ratio |"
echo "|---|---|---|---|"
for kind in binary multiclass compare calibration; do
  rate() { grep "^$kind " "$work/runs.txt" | grep " $1 replica(s)" | sed -E 's/.*\(([0-9,]+) rows\/s\).*/\1/' | tr -d , | median; }
  r1=$(rate 1); r2=$(rate 2)
  echo "| $kind | $r1 | $r2 | $(awk -v a="$r2" -v b="$r1" 'BEGIN { printf "%.2f", a / b }') |"
done
machine
