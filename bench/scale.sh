#!/usr/bin/env bash
# Records synthetic traces of about EVENTS events each (default: 10 million
# and 100 million) with each compression, then analyses them, timing record
# and analyze as whole processes and reading their peak resident memory.
# Prints one table.
#   bash bench/scale.sh [EVENTS...]        e.g. bash bench/scale.sh 10000000 1000000000
# Environment: WORKLOAD (default steady: a fixed live set, so the analyzer's
# memory must come out the same at every size), CODECS (default "zstd lz4
# none"; CODEC:LEVEL records at a --level, e.g. "zstd zstd:best lz4:better"),
# REPORTS (default: every report; e.g. "summary types peak growth"), DIR
# (default: a new temporary directory; a 1-billion-event trace takes about
# 2 GB with zstd, 32 GB uncompressed).
set -euo pipefail
workload=${WORKLOAD:-steady}
codecs=${CODECS:-zstd lz4 none}
reports=${REPORTS:-}
dir=${DIR:-$(mktemp -d)}
[ $# -gt 0 ] || set -- 10000000 100000000
go build -o "$dir/heaptrace" ./cmd/heaptrace
bin="$dir/heaptrace"
measure() { # prints "seconds maxrss_kb" of a command
  /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$@" >/dev/null 2>&1
  tail -1 "$dir/time.txt"
}
events_of() { "$bin" analyze summary --json "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["events"])'; }
# events = fixed + per * scale (a workload may build its state first), from
# two small recordings
for s in 10000 20000; do
  "$bin" record --workload "$workload" --scale $s -o "$dir/calibrate.arrow" >/dev/null 2>&1
  eval "n$s=$(events_of "$dir/calibrate.arrow")"
done
rm -f "$dir/calibrate.arrow"
per=$(( n20000 - n10000 ))          # events per 10000 units of scale
fixed=$(( n10000 - per ))
echo "workload $workload, reports: ${reports:-all}, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-11s %14s %10s %10s %8s %10s %10s %8s %11s\n" codec events "record s" "rec Mev/s" "rec RSS" "analyze s" "ana Mev/s" "ana RSS" "bytes/event"
for want in "$@"; do
  scale=$(( (want - fixed) * 10000 / per ))
  for codec in $codecs; do
    c=${codec%%:*} level=default
    [[ $codec != *:* ]] || level=${codec#*:}
    f="$dir/scale-$c-$level.arrow"
    read -r rs rm < <(measure "$bin" record --workload "$workload" --scale "$scale" --compress "$c" --level "$level" -o "$f")
    n=$(events_of "$f")
    # shellcheck disable=SC2086 # reports is a list of words
    read -r as am < <(measure "$bin" analyze $reports "$f")
    size=$(stat -c %s "$f")
    awk -v c="$codec" -v n="$n" -v rs="$rs" -v rm="$rm" -v as="$as" -v am="$am" -v sz="$size" 'BEGIN {
      printf "%-11s %14d %10.2f %10.1f %5.0f MB %10.2f %10.1f %5.0f MB %11.2f\n", c, n, rs, n/rs/1e6, rm/1024, as, n/as/1e6, am/1024, sz/n }'
    rm -f "$f"
  done
done
