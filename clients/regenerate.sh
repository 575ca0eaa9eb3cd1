#!/usr/bin/env bash
# Regenerates the client from the running service: the OpenAPI document (clients/openapi.json, as the service serves it
# in Production with no API keys) and the Kiota C# client generated from it (clients/dotnet/LogLossApi.Client/Generated).
#   bash clients/regenerate.sh          write both
#   bash clients/regenerate.sh --check  regenerate into a scratch copy and fail if either differs from what is checked in
# Needs only the .NET SDK (Kiota is a local tool: .config/dotnet-tools.json). Loopback only; bounded in time; cleans up.
set -euo pipefail
cd "$(dirname "$0")/.."
check=false
[ "${1:-}" = "--check" ] && check=true

port=${OPENAPI_PORT:-18090}
scratch=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT

dotnet build src/LogLossApi/LogLossApi.csproj -c Release --nologo -v q > "$scratch/build.log" 2>&1 || { cat "$scratch/build.log"; exit 1; }
ASPNETCORE_ENVIRONMENT=Production WarmUp__Enabled=false \
  dotnet run --project src/LogLossApi -c Release --no-build --no-launch-profile --urls "http://127.0.0.1:$port" > "$scratch/server.log" 2>&1 &
pid=$!
mkdir -p "$scratch/clients/dotnet/LogLossApi.Client"
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/swagger/v1/swagger.json" -o "$scratch/clients/openapi.json" 2>/dev/null; then break; fi
  sleep 0.5
done
[ -s "$scratch/clients/openapi.json" ] || { echo "regenerate: the service did not serve its OpenAPI document"; cat "$scratch/server.log"; exit 1; }

dotnet tool restore > /dev/null
# Offline: no update check against GitHub (this machine reaches only the package registries).
KIOTA_OFFLINE_ENABLED=true dotnet kiota generate --language CSharp \
  --openapi "$scratch/clients/openapi.json" --output "$scratch/clients/dotnet/LogLossApi.Client/Generated" \
  --class-name LogLossApiClient --namespace-name LogLossApi.Client --exclude-backward-compatible --clean-output \
  --log-level Warning > "$scratch/kiota.log" 2>&1 || { cat "$scratch/kiota.log"; exit 1; }
rm -f "$scratch/clients/dotnet/LogLossApi.Client/Generated/.kiota.log"

if $check; then
  if ! diff -r -q clients/openapi.json "$scratch/clients/openapi.json" > /dev/null \
     || ! diff -r clients/dotnet/LogLossApi.Client/Generated "$scratch/clients/dotnet/LogLossApi.Client/Generated" > "$scratch/diff.txt"; then
    echo "regenerate --check: the checked-in client is not what the service generates; run: bash clients/regenerate.sh"
    diff clients/openapi.json "$scratch/clients/openapi.json" | head -40 || true
    head -60 "$scratch/diff.txt"
    exit 1
  fi
  echo "regenerate --check: clients/openapi.json and the Kiota client match the service"
else
  cp "$scratch/clients/openapi.json" clients/openapi.json
  rm -rf clients/dotnet/LogLossApi.Client/Generated
  cp -r "$scratch/clients/dotnet/LogLossApi.Client/Generated" clients/dotnet/LogLossApi.Client/Generated
  echo "regenerate: wrote clients/openapi.json and clients/dotnet/LogLossApi.Client/Generated"
fi
