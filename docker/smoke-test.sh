#!/usr/bin/env bash
# Proves the real Dockerfile with podman on a machine that reaches no container registry:
#   1. a Debian bookworm base made with mmdebstrap and imported into podman,
#   2. from it a local SDK image (a copy of this machine's .NET SDK) and a local runtime image (only the runtimes,
#      user app uid 1654, APP_UID and ASPNETCORE_HTTP_PORTS=8080, as mcr.microsoft.com/dotnet/aspnet has),
#      each built only when missing,
#   3. `podman build` of the project's own Dockerfile with those two images as SDK_IMAGE and RUNTIME_IMAGE,
#   4. the container run with --memory 512m on a loopback port: health, the seed example, not root, clean stop.
# Nothing machine-specific goes into the repository or the project's image: the machine's CA certificates are
# mounted read-only for the build only. Cleans up the container and the project image; keeps the base images.
set -euo pipefail
cd "$(dirname "$0")/.."

work=${SMOKE_WORK:-/var/tmp/loglossapi-smoke}
port=${SMOKE_CONTAINER_PORT:-18088}
base=localhost/loglossapi-base:bookworm
sdk=localhost/loglossapi-sdk:local
runtime=localhost/loglossapi-aspnet:local
image=localhost/loglossapi:smoke
container=loglossapi-smoke-$$
mkdir -p "$work"

# The default OCI runtime cannot set resource limits here; runc with explicit ulimits can.
export CONTAINERS_CONF="$work/containers.conf"
cat > "$CONTAINERS_CONF" <<'CONF'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1000:1000"]

[engine]
runtime = "runc"
CONF

for tool in podman runc mmdebstrap; do
  command -v "$tool" > /dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc mmdebstrap; break; }
done

cleanup() {
  podman rm -f "$container" > /dev/null 2>&1 || true
  podman rmi -f "$image" > /dev/null 2>&1 || true
}
trap cleanup EXIT

if ! podman image exists "$base"; then
  echo "smoke-test: making the bookworm base with mmdebstrap"
  mmdebstrap --quiet --variant=minbase --include=ca-certificates,libicu72,tzdata bookworm "$work/base.tar"
  podman import --quiet "$work/base.tar" "$base" > /dev/null
  rm -f "$work/base.tar"
fi

dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")

if ! podman image exists "$sdk"; then
  echo "smoke-test: making the local SDK image from $dotnet_root"
  cat > "$work/Containerfile.sdk" <<CONTAINERFILE
FROM $base
RUN cp -a /host-dotnet /usr/share/dotnet && ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
ENV DOTNET_ROOT=/usr/share/dotnet DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 NUGET_CERT_REVOCATION_MODE=offline
CONTAINERFILE
  podman build --quiet --network host -v "$dotnet_root:/host-dotnet:ro" -t "$sdk" -f "$work/Containerfile.sdk" "$work" > /dev/null
fi

if ! podman image exists "$runtime"; then
  echo "smoke-test: making the local runtime image (runtimes only, user app 1654)"
  cat > "$work/Containerfile.runtime" <<CONTAINERFILE
FROM $base
RUN mkdir -p /usr/share/dotnet/shared \
 && cp -a /host-dotnet/dotnet /host-dotnet/host /host-dotnet/LICENSE.txt /usr/share/dotnet/ \
 && cp -a /host-dotnet/shared/Microsoft.NETCore.App /host-dotnet/shared/Microsoft.AspNetCore.App /usr/share/dotnet/shared/ \
 && ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet \
 && groupadd --gid 1654 app && useradd --uid 1654 --gid app --no-create-home --shell /usr/sbin/nologin app
ENV APP_UID=1654 ASPNETCORE_HTTP_PORTS=8080 DOTNET_RUNNING_IN_CONTAINER=true DOTNET_ROOT=/usr/share/dotnet
CONTAINERFILE
  podman build --quiet --network host -v "$dotnet_root:/host-dotnet:ro" -t "$runtime" -f "$work/Containerfile.runtime" "$work" > /dev/null
fi

echo "smoke-test: podman build of the project's Dockerfile"
podman build --quiet --format docker --network host -v /etc/ssl/certs:/etc/ssl/certs:ro \
  --build-arg SDK_IMAGE="$sdk" --build-arg RUNTIME_IMAGE="$runtime" -t "$image" -f Dockerfile . > /dev/null

echo "smoke-test: podman run --memory 512m on 127.0.0.1:$port"
# Without systemd podman cannot schedule the HEALTHCHECK timer and says so; the check is run by hand below.
podman run -d --name "$container" --memory 512m -p "127.0.0.1:$port:8080" "$image" > /dev/null 2> "$work/run.err" \
  || { cat "$work/run.err"; exit 1; }

for _ in $(seq 1 60); do
  if curl -fsS "http://127.0.0.1:$port/health/live" > /dev/null 2>&1; then break; fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/health/live" | grep -q '"Healthy"' || { echo "smoke-test: /health/live did not answer"; podman logs "$container"; exit 1; }
# Ready comes after the start-up warm-up, inside the container's 512 MiB too.
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/health/ready" > /dev/null 2>&1; then break; fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/health/ready" | grep -q '"Healthy"' || { echo "smoke-test: /health/ready did not answer Healthy within 60 s"; podman logs "$container"; exit 1; }

seed=$(python3 -c 'import json; print(json.dumps(json.load(open("tests/fixtures/seed-example.json"))["request"]))')
body=$(curl -fsS -H 'Content-Type: application/json' --data-binary "$seed" "http://127.0.0.1:$port/v1/log-loss")
echo "$body" | grep -q '"meanLoss":0.33291' || { echo "smoke-test: unexpected seed answer: $body"; exit 1; }

chart=$(curl -fsS -H 'Content-Type: application/json' -H 'Accept: image/svg+xml' --data-binary "$seed" "http://127.0.0.1:$port/v1/log-loss/chart?kind=losses")
echo "$chart" | grep -q 'font-family="DejaVu' || { echo "smoke-test: the chart has no font (text would not render)"; exit 1; }
echo "$chart" | grep -q 'Mean loss 0.3329' || { echo "smoke-test: the chart lacks its title"; exit 1; }
png_bytes=$(curl -fsS -H 'Content-Type: application/json' -H 'Accept: image/png' --data-binary "$seed" "http://127.0.0.1:$port/v1/log-loss/chart?kind=probabilities" | wc -c)
[ "$png_bytes" -gt 10000 ] || { echo "smoke-test: the PNG chart is only $png_bytes bytes"; exit 1; }

uid=$(podman exec "$container" sh -c 'id -u')
[ "$uid" != 0 ] || { echo "smoke-test: the service runs as root"; exit 1; }
podman inspect --format '{{.Config.Healthcheck.Test}}' "$container" | grep -q -- '--probe' || { echo "smoke-test: the image has no HEALTHCHECK"; exit 1; }
podman healthcheck run "$container" || { echo "smoke-test: the HEALTHCHECK failed"; exit 1; }
memory=$(podman inspect --format '{{.HostConfig.Memory}}' "$container")
[ "$memory" = 536870912 ] || { echo "smoke-test: the memory limit is $memory, not 512 MiB"; exit 1; }

podman stop --time 20 "$container" > /dev/null 2>> "$work/run.err"
code=$(podman inspect --format '{{.State.ExitCode}}' "$container")
[ "$code" = 0 ] || { echo "smoke-test: exit code $code after podman stop"; podman logs "$container"; exit 1; }
echo "smoke-test: passed (image built from the Dockerfile, --memory 512m, health, seed 0.33291, charts with fonts, uid $uid, HEALTHCHECK, clean stop)"
