#!/usr/bin/env bash
# Time `make run` from a fresh clone until the log-in page answers, then a second `make run`.
# Usage: benchmarks/make_run_startup.sh [repo-path]   (prints two lines: first and second start, seconds)
set -euo pipefail
repo=${1:-$(git rev-parse --show-toplevel)}
work=$(mktemp -d)
git clone -q "$repo" "$work/clone"
cd "$work/clone"

time_start() {
  local start=$SECONDS pid
  setsid make run >"$work/run.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null http://127.0.0.1:8000/login/; do
    sleep 0.5
    if (( SECONDS - start > 900 )); then echo "timed out" >&2; kill -- -"$pid"; exit 1; fi
  done
  echo "$1: $(( SECONDS - start )) s"
  kill -- -"$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  sleep 1
}

time_start "first make run (fresh clone)"
time_start "second make run"
rm -rf "$work"
