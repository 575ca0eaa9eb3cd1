#!/usr/bin/env bash
# Partial states (issue 15), side by side in one run of one published build: each 1M-row request with and without
# includeState (alternated, 7 rounds, medians), and POST /v1/log-loss/merge of 10,000 binary and 1,000 and 500
# calibration states (pieces of 1,000 random rows each), 7 times each. Loopback only; cleans up.
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/common.sh
rounds=${ROUNDS:-7}
port=${PORT:-18095}

dotnet publish src/LogLossApi/LogLossApi.csproj -c Release -o "$work/app" --nologo -v q > /dev/null
(cd "$work/app" && ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$port" Limits__MaxRequestBodyBytes=536870912 exec dotnet LogLossApi.dll) > "$work/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 240); do curl -fsS "http://127.0.0.1:$port/health/ready" > /dev/null 2>&1 && break; sleep 0.5; done

python3 - "$work" "$port" <<'PY'
import json, random, sys, urllib.request
work, port = sys.argv[1], sys.argv[2]
random.seed(15)
n = 1_000_000
labels = [random.randint(0, 1) for _ in range(n)]
p = [round(random.random(), 7) for _ in range(n)]
q = [round(random.random(), 7) for _ in range(n)]
with open(f"{work}/binary.csv", "w") as out:
    out.write("label,probability\n" + "".join(f"{y},{v}\n" for y, v in zip(labels, p)))
def rows3(i):
    a, b = p[i] + 1e-3, q[i] + 1e-3
    return [round(a / (a + b + 0.5), 7), round(b / (a + b + 0.5), 7), round(1 - round(a / (a + b + 0.5), 7) - round(b / (a + b + 0.5), 7), 7)]
for state in ("false", "true"):
    json.dump({"labels": [y + (i % 2) for i, y in enumerate(labels)], "probabilities": [rows3(i) for i in range(n)],
               "options": {"includeLosses": False, "includeState": state == "true", "renormalize": True}}, open(f"{work}/multiclass-{state}.json", "w"))
    json.dump({"labels": labels, "models": [{"name": "a", "probabilities": p}, {"name": "b", "probabilities": q}],
               "options": {"includeState": state == "true"}}, open(f"{work}/compare-{state}.json", "w"))
def states(path, count, query):
    made = []
    for _ in range(count):
        rows = "label,probability\n" + "".join(f"{random.randint(0, 1)},{random.random()}\n" for _ in range(1000))
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}?includeState=true{query}", rows.encode(), {"Content-Type": "text/csv"})
        made.append(json.load(urllib.request.urlopen(request))["state"])
    return made
json.dump({"states": states("/v1/log-loss", 10_000, "&includeLosses=false")}, open(f"{work}/merge-binary.json", "w"))
calibration = states("/v1/log-loss/calibration", 1_000, "")
json.dump({"states": calibration}, open(f"{work}/merge-calibration.json", "w"))
json.dump({"states": calibration[:500]}, open(f"{work}/merge-calibration-500.json", "w"))
PY

time_of() { curl -sf -o /dev/null -w '%{time_total}\n' -H "Content-Type: $3" -H 'Expect:' --data-binary @"$2" "http://127.0.0.1:$port$1"; }
declare -A times
for round in $(seq 1 "$rounds"); do
  # The order alternates between rounds, so that neither side always runs second.
  if [ $((round % 2)) -eq 1 ]; then order="false true"; else order="true false"; fi
  for state in $order; do
    times[binary-$state]+="$(time_of "/v1/log-loss?includeLosses=false&includeState=$state" "$work/binary.csv" text/csv) "
    if [ "$state" = true ]; then q="?includeState=true"; else q=""; fi
    times[calibration-$state]+="$(time_of "/v1/log-loss/calibration$q" "$work/binary.csv" text/csv) "
    times[multiclass-$state]+="$(time_of /v1/log-loss/multiclass "$work/multiclass-$state.json" application/json) "
    times[compare-$state]+="$(time_of /v1/log-loss/compare "$work/compare-$state.json" application/json) "
  done
  times[merge-binary]+="$(time_of /v1/log-loss/merge "$work/merge-binary.json" application/json) "
  times[merge-calibration]+="$(time_of /v1/log-loss/merge "$work/merge-calibration.json" application/json) "
  times[merge-calibration-500]+="$(time_of /v1/log-loss/merge "$work/merge-calibration-500.json" application/json) "
done

echo "| 1M rows | without the state (s) | with includeState (s) | ratio |"
echo "|---|---|---|---|"
for kind in binary calibration multiclass compare; do
  without=$(tr ' ' '\n' <<< "${times[$kind-false]}" | grep . | median)
  with=$(tr ' ' '\n' <<< "${times[$kind-true]}" | grep . | median)
  echo "| $kind | $without | $with | $(awk -v a="$with" -v b="$without" 'BEGIN { printf "%.3f", a / b }') |"
done
echo
for kind in binary calibration calibration-500; do
  size=$(du -m "$work/merge-$kind.json" | cut -f1)
  echo "merge of $kind states ($size MB): median $(tr ' ' '\n' <<< "${times[merge-$kind]}" | grep . | median_range) s"
done
machine
