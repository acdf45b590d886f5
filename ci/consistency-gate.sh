#!/usr/bin/env bash
# The consistency gate for your CI: runs `faultline test` once per system and fails the job unless
# every run is valid. Exit code: the worst of the runs (0 valid, 1 invalid, 2 unknown,
# 254 bad arguments, 255 crashed), so a pipeline can tell a consistency bug from a broken setup.
#
#   ci/consistency-gate.sh                                  # default scenario on the reference server
#   FAULTLINE_GATE_SYSTEMS=reference,zookeeper ci/consistency-gate.sh --time-limit 60s --nemesis all
#
# Arguments are passed to `faultline test` (see ./faultline test --help); without any, the gate runs
# a 30 s register test with sync reads under partitions and kills. Each run's report.html and
# results.json are under the store (default store/, `--store DIR` to change). If GITHUB_STEP_SUMMARY
# is set, a verdict table is appended to it.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
systems=${FAULTLINE_GATE_SYSTEMS:-reference}
if [ $# -eq 0 ]; then
  set -- --workload register --read-mode sync --time-limit 30s --nemesis partition,kill
fi
worst=0
rank() { case $1 in 0) echo 0;; 2) echo 1;; 1) echo 2;; 254) echo 3;; *) echo 4;; esac; }
summary="| system | exit | verdict |\n|---|---|---|\n"
IFS=, read -r -a list <<<"$systems"
for system in "${list[@]}"; do
  echo "[gate] faultline test --system $system $*" >&2
  out=$(mktemp)
  "$root/faultline" test --system "$system" "$@" 2>&1 | tee "$out"
  code=${PIPESTATUS[0]}
  verdict=$(grep -m1 -oE '^verdict [a-z]+' "$out" | cut -d' ' -f2)
  rm -f "$out"
  echo "[gate] $system: exit $code (${verdict:-no verdict})" >&2
  summary+="| $system | $code | ${verdict:-none} |\n"
  if [ "$(rank "$code")" -gt "$(rank "$worst")" ]; then worst=$code; fi
done
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then printf "### faultline consistency gate\n\n$summary" >> "$GITHUB_STEP_SUMMARY"; fi
[ "$worst" -eq 0 ] && echo "[gate] PASS: every run is valid" >&2 || echo "[gate] FAIL: exit $worst" >&2
exit "$worst"
