#!/usr/bin/env bash
# heaptrace and heaptrack side by side on the same Python scripts
# (default: every bundled sample). heaptrack traces the real CPython with
# PYTHONMALLOC=malloc (every request is a malloc it can see); heaptrace
# records the script on its model. Whole processes, on this machine, in
# one run: compare the ratios.
#   bash bench/heaptrack.sh [script.py...]
# Events: heaptrack's allocation calls plus their frees (allocations -
# leaked); heaptrace's trace events (every layer). Record overhead per
# event is (traced run - plain CPython run) / events.
set -euo pipefail
command -v heaptrack >/dev/null || { apt-get install -y -qq heaptrack >/dev/null || { echo "heaptrack is not installed"; exit 1; }; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go build -o "$dir/heaptrace" ./cmd/heaptrace
py=$(python3 -c 'import sys; print(sys.executable)') # the binary, not a pyenv shim
secs() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s.%N); echo "$t1 $t0" | awk '{print $1-$2}'; }
scripts=("$@")
[ ${#scripts[@]} -gt 0 ] || scripts=(samples/*.py)
printf "%-20s %-15s %10s %9s %13s %11s %10s %12s\n" script tool events "record s" "us/event+" "file bytes" "B/event" "analysis Mev/s"
for s in "${scripts[@]}"; do
  name=$(basename "$s")
  plain=$(secs "$py" "$s")
  # heaptrack
  rec=$(secs env PYTHONMALLOC=malloc heaptrack -o "$dir/hk" "$py" "$s")
  f=$(ls "$dir"/hk.* | head -1)
  ana=$(secs heaptrack_print "$f")
  stats=$(heaptrack_print "$f" 2>/dev/null | grep -E '^calls to allocation' | awk '{print $5}')
  leaked=$(heaptrack_print -l 1 "$f" 2>/dev/null | grep -E '^total memory leaked|leaked allocations' | head -1 | grep -oE '[0-9]+' | head -1 || echo 0)
  ev=$(( stats * 2 - ${leaked:-0} ))
  size=$(stat -c %s "$f")
  awk -v n="$name" -v ev="$ev" -v rec="$rec" -v plain="$plain" -v sz="$size" -v ana="$ana" 'BEGIN {
    printf "%-20s %-15s %10d %9.2f %13.3f %11d %10.2f %12.1f\n", n, "heaptrack", ev, rec, (rec-plain)*1e6/ev, sz, sz/ev, ev/ana/1e6 }'
  rm -f "$dir"/hk.*
  # heaptrace, with each compression
  for c in zstd lz4 none; do
    rec=$(secs "$dir/heaptrace" record "$s" --compress "$c" -o "$dir/t.arrow")
    ev=$("$dir/heaptrace" analyze --json "$dir/t.arrow" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["events"])')
    ana=$(secs "$dir/heaptrace" analyze "$dir/t.arrow")
    size=$(stat -c %s "$dir/t.arrow")
    awk -v n="$name" -v t="heaptrace/$c" -v ev="$ev" -v rec="$rec" -v plain="$plain" -v sz="$size" -v ana="$ana" 'BEGIN {
      printf "%-20s %-15s %10d %9.2f %13.3f %11d %10.2f %12.1f\n", n, t, ev, rec, (rec-plain)*1e6/ev, sz, sz/ev, ev/ana/1e6 }'
  done
done
echo "(us/event+: the traced run's time over plain CPython's, per event; for heaptrace the model runs the script itself)"
