#!/usr/bin/env bash
# Records a synthetic trace of about N events (default 10 million) with each
# compression, then analyses it, timing both as whole processes and
# reading their peak resident memory. Prints a table.
#   bash bench/scale.sh [EVENTS] [DIR]       e.g. bash bench/scale.sh 1000000000 /big/disk
# The workload is dict-churn (about 7.8 events per unit of scale). The
# analyzer's memory must not grow with the number of events: compare the
# RSS of two sizes of the same workload.
set -euo pipefail
events=${1:-10000000}
dir=${2:-$(mktemp -d)}
scale=$(( events * 10 / 78 ))
go build -o "$dir/heaptrace" ./cmd/heaptrace
bin="$dir/heaptrace"
measure() { # prints "seconds maxrss_kb" of a command
  /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$@" >/dev/null 2>&1
  tail -1 "$dir/time.txt"
}
printf "%-6s %14s %10s %12s %10s %12s %10s %11s\n" codec events "record s" "rec Mev/s" "rec RSS MB" "analyze s" "ana Mev/s" "bytes/event"
for codec in none lz4 zstd; do
  f="$dir/scale-$codec.arrow"
  read -r rs rm < <(measure "$bin" record --workload dict-churn --scale "$scale" --compress "$codec" -o "$f")
  n=$("$bin" analyze --json "$f" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["events"])')
  read -r as am < <(measure "$bin" analyze "$f")
  size=$(stat -c %s "$f")
  awk -v c="$codec" -v n="$n" -v rs="$rs" -v rm="$rm" -v as="$as" -v am="$am" -v sz="$size" 'BEGIN {
    printf "%-6s %14d %10.2f %12.1f %10.0f %12.2f %10.1f %11.2f   (analyze RSS %.0f MB)\n", c, n, rs, n/rs/1e6, rm/1024, as, n/as/1e6, sz/n, am/1024 }'
  rm -f "$f"
done
