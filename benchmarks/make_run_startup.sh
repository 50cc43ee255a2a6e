#!/usr/bin/env bash
# Time `make run` from a fresh clone until the log-in page answers, then a second `make run`.
# Usage: benchmarks/make_run_startup.sh [repo-path]   (prints two lines: first and second start, seconds)
# CI runs it after `make test`: it fails (exit 1, with the end of the log) if `make run` stops before serving.
set -euo pipefail
repo=${1:-$(git rev-parse --show-toplevel)}
work=$(mktemp -d)
git clone -q "$repo" "$work/clone"
cd "$work/clone"

time_start() {
  local start=$SECONDS t0 pid
  t0=$(date +%s.%N)
  setsid make run >"$work/run.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null http://127.0.0.1:8000/login/; do
    sleep 0.1
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$1: make run stopped before serving; its output ends:" >&2; tail -n 30 "$work/run.log" >&2; exit 1
    fi
    if (( SECONDS - start > 900 )); then echo "$1: timed out" >&2; kill -- -"$pid"; exit 1; fi
  done
  echo "$1: $(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$t0" "$(date +%s.%N)") s"
  kill -- -"$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  sleep 1
}

time_start "first make run (fresh clone)"
time_start "second make run"
rm -rf "$work"
