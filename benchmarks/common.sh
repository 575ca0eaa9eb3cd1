# Sourced by compare.sh, scaling.sh and settings.sh: a work folder that is removed on exit, with every process whose
# pid is in pids stopped first; medians; a timed POST; the machine line every report ends with.

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The median of the numbers on standard input, one a line.
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# The same, followed by "(min …, max …)".
median_range() { sort -g | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%s (min %s, max %s)", m, a[1], a[NR] }'; }

# post_time PORT FILE CONTENT-TYPE [QUERY]: seconds (curl time_total) of one POST to /v1/log-loss; fails on a non-2xx answer.
post_time() {
  curl -sf -o /dev/null -w '%{time_total}\n' -H "Content-Type: $3" -H 'Expect:' --data-binary @"$2" "http://127.0.0.1:$1/v1/log-loss${4:-}"
}

machine() { echo "machine: $(nproc) cores, $(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2 }')"; }
