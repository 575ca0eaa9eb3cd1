#!/usr/bin/env bash
# How time and memory grow with the sample count, 10³ to 10⁷: for each size a freshly started service (Release,
# Production, the shipped GC settings) gets one warm-up request of that size, then ROUNDS timed ones (curl
# time_total, median); its peak RSS (VmHWM) is read afterwards. Two series:
#   json: a JSON body with per-sample losses in the response;
#   csv:  a CSV body with includeLosses=false, scored as a stream.
# Usage: bash benchmarks/scaling.sh   Environment: ROUNDS (3), SIZES ("1000 10000 100000 1000000 10000000").
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${ROUNDS:-3}
sizes=${SIZES:-1000 10000 100000 1000000 10000000}
port=18150
work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "scaling: bodies and the published service"
dotnet run -c Release --project benchmarks/LogLossApi.Benchmarks -- --write-scaling-bodies "$work/bodies" > /dev/null
dotnet publish src/LogLossApi/LogLossApi.csproj -c Release -o "$work/app" --nologo -v q > /dev/null

median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

post_time() { # file content-type query
  curl -s -o /dev/null -w '%{time_total} %{http_code}\n' -H "Content-Type: $2" -H 'Expect:' --data-binary @"$1" "http://127.0.0.1:$port/v1/log-loss$3"
}

printf '%-5s %10s %12s %14s %14s %12s\n' series samples "seconds" "samples/s" "ns/sample" "peak RSS MiB"
for series in json csv; do
  for n in $sizes; do
    if [ "$series" = json ]; then body="$work/bodies/json-$n.json"; type=application/json; query=""
    else body="$work/bodies/csv-$n.csv"; type=text/csv; query="?includeLosses=false"; fi

    (cd "$work/app" && ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$port" Serilog__MinimumLevel__Default=Warning exec dotnet LogLossApi.dll) > "$work/service.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 60); do curl -sf -o /dev/null "http://127.0.0.1:$port/health/ready" && break; sleep 0.5; done

    post_time "$body" "$type" "$query" > /dev/null
    : > "$work/times"
    for _ in $(seq 1 "$rounds"); do
      read -r seconds status < <(post_time "$body" "$type" "$query")
      if [ "$status" != 200 ]; then echo "scaling: $series $n answered $status" >&2; exit 1; fi
      echo "$seconds" >> "$work/times"
    done
    rss_kib=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status")
    kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=

    seconds=$(median < "$work/times")
    awk -v s="$series" -v n="$n" -v t="$seconds" -v r="$rss_kib" 'BEGIN { printf "%-5s %10d %12.4f %14.0f %14.1f %12.0f\n", s, n, t, n / t, t * 1e9 / n, r / 1024 }'
  done
done
echo "machine: $(nproc) cores, $(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2 }')"
