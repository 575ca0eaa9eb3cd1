#!/usr/bin/env bash
# How time and memory grow with the sample count, 10³ to 10⁷: for each size a freshly started service (Release,
# Production, the shipped GC settings) gets one warm-up request of that size, then ROUNDS timed ones (curl
# time_total, median); its peak RSS (VmHWM) is read afterwards. Two series:
#   json: a JSON body with per-sample losses in the response;
#   csv:  a CSV body with includeLosses=false, scored as a stream.
# With BASELINE=<git revision> the service built from that revision is measured too, alternately with this one at
# every size ("base" rows), so that old and new are compared in one run.
# Usage: bash benchmarks/scaling.sh   Environment: ROUNDS (3), SIZES ("1000 10000 100000 1000000 10000000"), BASELINE.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${ROUNDS:-3}
sizes=${SIZES:-1000 10000 100000 1000000 10000000}
port=18150
source benchmarks/common.sh

echo "scaling: bodies and the published service"
dotnet run -c Release --project benchmarks/LogLossApi.Benchmarks -- --write-scaling-bodies "$work/bodies" > /dev/null
dotnet publish src/LogLossApi/LogLossApi.csproj -c Release -o "$work/app" --nologo -v q > /dev/null
apps=app
if [ -n "${BASELINE:-}" ]; then
  git worktree add -f -q "$work/base-src" "$BASELINE"
  dotnet publish "$work/base-src/src/LogLossApi/LogLossApi.csproj" -c Release -o "$work/base" --nologo -v q > /dev/null
  git worktree remove --force "$work/base-src"
  apps="app base"
fi

printf '%-5s %-4s %10s %12s %14s %14s %12s\n' series app samples "seconds" "samples/s" "ns/sample" "peak RSS MiB"
for series in json csv; do
  for n in $sizes; do
   for app in $apps; do
    if [ "$series" = json ]; then body="$work/bodies/json-$n.json"; type=application/json; query=""
    else body="$work/bodies/csv-$n.csv"; type=text/csv; query="?includeLosses=false"; fi

    (cd "$work/$app" && ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$port" Serilog__MinimumLevel__Default=Warning exec dotnet LogLossApi.dll) > "$work/service.log" 2>&1 &
    pids=($!)
    for _ in $(seq 1 60); do curl -sf -o /dev/null "http://127.0.0.1:$port/health/ready" && break; sleep 0.5; done

    post_time "$port" "$body" "$type" "$query" > /dev/null
    : > "$work/times"
    for _ in $(seq 1 "$rounds"); do
      post_time "$port" "$body" "$type" "$query" >> "$work/times" || { echo "scaling: $series $n was refused" >&2; exit 1; }
    done
    rss_kib=$(awk '/^VmHWM/ { print $2 }' "/proc/${pids[0]}/status")
    kill -TERM "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true; pids=()

    seconds=$(median < "$work/times")
    awk -v s="$series" -v a="${app/app/ours}" -v n="$n" -v t="$seconds" -v r="$rss_kib" 'BEGIN { printf "%-5s %-4s %10d %12.4f %14.0f %14.1f %12.0f\n", s, a, n, t, n / t, t * 1e9 / n, r / 1024 }'
   done
  done
done
machine
