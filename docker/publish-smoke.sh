#!/usr/bin/env bash
# Proves what the Docker image would contain without a Docker engine: publishes exactly as the Dockerfile does,
# starts the output on a loopback port in Production, checks health, the seed example, the container's health probe,
# the absence of a Server header, and a clean exit on SIGTERM. Loopback only; bounded in time; cleans up.
set -euo pipefail
cd "$(dirname "$0")/.."

out=$(mktemp -d)
port=${SMOKE_PORT:-18080}
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -rf "$out"
}
trap cleanup EXIT

echo "publish-smoke: dotnet publish -c Release (as the Dockerfile)"
dotnet restore src/LogLossApi/LogLossApi.csproj --nologo -v q
dotnet publish src/LogLossApi/LogLossApi.csproj -c Release -o "$out" --no-restore --nologo -v q

test -f "$out/appsettings.json" || { echo "publish-smoke: appsettings.json is not in the published output"; exit 1; }

(cd "$out" && ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$port" exec dotnet LogLossApi.dll) > "$out/server.log" 2>&1 &
pid=$!

for _ in $(seq 1 60); do
  if curl -fsS "http://127.0.0.1:$port/health/live" > /dev/null 2>&1; then break; fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/health/live" | grep -q '"Healthy"' || { echo "publish-smoke: /health/live did not answer"; cat "$out/server.log"; exit 1; }
# Ready comes after the start-up warm-up (src/LogLossApi/Hosting/WarmUp.cs): about 11 s on two cores.
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/health/ready" > /dev/null 2>&1; then break; fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/health/ready" | grep -q '"Healthy"' || { echo "publish-smoke: /health/ready did not answer Healthy within 60 s"; cat "$out/server.log"; exit 1; }
grep -q 'Warmed up' "$out/server.log" || { echo "publish-smoke: the warm-up did not log its end"; exit 1; }
if grep -q 'Warm-up request' "$out/server.log"; then echo "publish-smoke: a warm-up request was refused"; grep 'Warm-up request' "$out/server.log"; exit 1; fi

seed=$(python3 -c 'import json; print(json.dumps(json.load(open("tests/fixtures/seed-example.json"))["request"]))')
headers=$(mktemp)
body=$(curl -fsS -D "$headers" -H 'Content-Type: application/json' --data-binary "$seed" "http://127.0.0.1:$port/v1/log-loss")
echo "$body" | grep -q '"meanLoss":0.33291' || { echo "publish-smoke: unexpected seed answer: $body"; exit 1; }
if grep -qi '^server:' "$headers"; then echo "publish-smoke: a Server header is sent"; exit 1; fi
rm -f "$headers"

probe=$(cd "$out" && dotnet LogLossApi.dll --probe "http://127.0.0.1:$port/health/live") || { echo "publish-smoke: the HEALTHCHECK probe failed: $probe"; exit 1; }
grep -q 'answered 200 OK: healthy' <<< "$probe" || { echo "publish-smoke: the probe did not say what it checked: $probe"; exit 1; }
if probe=$(cd "$out" && dotnet LogLossApi.dll --probe "http://127.0.0.1:1/health/live"); then echo "publish-smoke: the probe passed against a closed port"; exit 1; fi
grep -q 'failed: ' <<< "$probe" || { echo "publish-smoke: the failed probe did not say why: $probe"; exit 1; }

grep -q '"@t"' "$out/server.log" || { echo "publish-smoke: Production logs are not JSON lines"; cat "$out/server.log"; exit 1; }

kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=
[ "$status" -eq 0 ] || { echo "publish-smoke: exit code $status after SIGTERM"; exit 1; }
echo "publish-smoke: passed (health, seed 0.33291, probe, no Server header, JSON logs, clean SIGTERM exit)"
