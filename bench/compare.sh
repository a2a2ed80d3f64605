#!/usr/bin/env bash
# Compares one package's Go benchmarks at two commits, alternating their
# runs so that both see the same machine: on a shared machine the speed
# moves by 10-30% between minutes, so only runs made side by side compare.
# Prints, for each benchmark and commit, its metric in every run, sorted.
#   bash bench/compare.sh OLD [NEW] [-- go test flags]
#   e.g. bash bench/compare.sh f1da3e8 -- -bench 'Replay10M/summary' -benchtime 3x
# NEW defaults to the work tree as it is (uncommitted changes included).
# Environment: PKG (default ./analyze), ROUNDS (default 5), METRIC (the
# unit whose value is printed, default events/s; ns/op and ns/event work).
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: bash bench/compare.sh OLD [NEW] [-- go test flags]" >&2; exit 2; }
old=$1; shift
new=""
if [ $# -gt 0 ] && [ "$1" != "--" ]; then new=$1; shift; fi
[ $# -gt 0 ] && [ "$1" = "--" ] && shift
flags=("$@")
[ ${#flags[@]} -gt 0 ] || flags=(-bench . -benchtime 1x)
pkg=${PKG:-./analyze}
rounds=${ROUNDS:-5}
metric=${METRIC:-events/s}
root=$(git rev-parse --show-toplevel)
dir=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$dir/old" >/dev/null 2>&1 || true
      git -C "$root" worktree remove --force "$dir/new" >/dev/null 2>&1 || true
      rm -rf "$dir"' EXIT

build() { # build REV NAME: a test binary of $pkg at REV (the work tree when REV is empty)
  local src=$root
  if [ -n "$1" ]; then
    git -C "$root" worktree add --detach -q "$dir/$2" "$1"
    src=$dir/$2
  fi
  (cd "$src" && go test -c -o "$dir/$2.test" "$pkg")
}
build "$old" old
build "$new" new

# go test flags become the test binary's (-bench X -> -test.bench X)
args=()
for f in "${flags[@]}"; do
  case $f in -*) args+=("-test.${f#-}") ;; *) args+=("$f") ;; esac
done
for ((i = 0; i < rounds; i++)); do
  for which in old new; do
    (cd "$root/$pkg" && "$dir/$which.test" -test.run '^$' "${args[@]}") |
      awk -v w="$which" -v m="$metric" '/^Benchmark/ { for (i = 3; i < NF; i++) if ($(i+1) == m) print $1, w, $i }'
  done
done | sort -k1,1 -k2,2r -k3,3g | awk '
  { k = $1 " " $2; if (!(k in v)) order[n++] = k; v[k] = v[k] " " $3 }
  END { for (i = 0; i < n; i++) print order[i] ":" v[order[i]] }'
echo "(${old} = old, ${new:-the work tree} = new; $rounds rounds, alternating; metric $metric)"
