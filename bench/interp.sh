#!/usr/bin/env bash
# Times each sample under CPython (python3) and under heaptrace's
# interpreter with recording on (heaptrace record, uncompressed trace), and
# prints the ratio. Run from the repository root: bash bench/interp.sh
# Both run as whole processes, best of 3, on the same machine in one go:
# compare the ratios, not the seconds.
set -euo pipefail
go build -o /tmp/heaptrace-bench ./cmd/heaptrace
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
best() { # best of 3 wall-clock seconds of a command
  local b=999
  for _ in 1 2 3; do
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s.%N)
    b=$(echo "$t1 $t0 $b" | awk '{d=$1-$2; print (d<$3)?d:$3}')
  done
  echo "$b"
}
printf "%-22s %10s %12s %8s %12s\n" sample "python3 s" "heaptrace s" ratio events
for f in samples/*.py; do
  name=$(basename "$f")
  py=$(best python3 "$f")
  ht=$(best /tmp/heaptrace-bench record "$f" -o "$out/t.arrow")
  ev=$(/tmp/heaptrace-bench analyze --json "$out/t.arrow" | python3 -c 'import json,sys; print(json.load(sys.stdin)["events"])' 2>/dev/null || echo "?")
  printf "%-22s %10.3f %12.3f %7.1fx %12s\n" "$name" "$py" "$ht" "$(echo "$ht $py" | awk '{print $1/$2}')" "$ev"
done
