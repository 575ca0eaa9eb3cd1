#!/usr/bin/env bash
# Reproduces every figure of docs/benchmarks.md from scratch, on loopback only, each step bounded in time:
#   1. BenchmarkDotNet (ShortRun): the wire stages of a 1M-sample request, a 100-sample request's stages, the library
#      from 10³ to 10⁷ samples, multiclass and logistic regression, calibration and comparison;
#   2. compare.sh:  the service against the FastAPI + scikit-learn peer, side by side;
#   3. scaling.sh:  time and peak memory from 10³ to 10⁷ samples (JSON with losses, streamed CSV);
#   4. settings.sh: GC and JIT settings, warm and cold;
#   5. load.sh:     mixed load over every endpoint and eight concurrent maximum-size requests under a memory limit.
# Each step's output goes to OUT (benchmarks/results/DATE by default). About 25 minutes on 2 cores.
# Usage: bash benchmarks/run.sh [step ...]   (steps: bdn compare scaling settings load; default all)
set -euo pipefail
cd "$(dirname "$0")/.."

out=${OUT:-benchmarks/results/$(date +%Y-%m-%d)}
mkdir -p "$out"
steps=("$@")
if [ ${#steps[@]} -eq 0 ]; then steps=(bdn compare scaling settings load); fi

run_step() { # name minutes command...
  local name=$1 minutes=$2
  shift 2
  echo "== $name (at most $minutes min) → $out/$name.txt"
  if ! timeout "${minutes}m" "$@" > "$out/$name.txt" 2>&1; then
    echo "run: $name failed or ran out of time; see $out/$name.txt" >&2
    return 1
  fi
  grep -E '^\||^ours|^peer|^json|^csv|^series|^shipped|^server|^workstation|^tiered|^no-quick|^ready|^machine|req/s|RSS' "$out/$name.txt" | tail -40 || true
}

for step in "${steps[@]}"; do
  case $step in
    bdn) run_step bdn 20 dotnet run -c Release --project benchmarks/LogLossApi.Benchmarks -- --job short \
      --filter '*WireBenchmarks*' '*SmallRequestBenchmarks*' '*LibraryBenchmarks*' '*ModelBenchmarks*' '*CalibrationBenchmarks*' ;;
    compare) run_step compare 10 bash benchmarks/compare.sh ;;
    scaling) run_step scaling 10 bash benchmarks/scaling.sh ;;
    settings) run_step settings 10 bash benchmarks/settings.sh ;;
    load) run_step load 10 bash benchmarks/load.sh ;;
    *) echo "run: unknown step $step (bdn compare scaling settings load)" >&2; exit 2 ;;
  esac
done
echo "machine: $(nproc) cores, $(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2 }'); results in $out"
