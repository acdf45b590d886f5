#!/usr/bin/env bash
# Fails if any integration test (Failsafe) was skipped, or if no container-backed test ran.
# Container-backed tests are the *IT classes in a `container` package or named *Container*IT.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
reports=(*/target/failsafe-reports/TEST-*.xml)
if [ ${#reports[@]} -eq 0 ]; then
  echo "[check-reports] no Failsafe reports found: integration tests did not run" >&2; exit 1
fi
skipped=0; container_run=0
for r in "${reports[@]}"; do
  name=$(basename "$r" .xml); name=${name#TEST-}
  s=$(sed -n 's/.*<testsuite[^>]* skipped="\([0-9]*\)".*/\1/p' "$r" | head -1)
  t=$(sed -n 's/.*<testsuite[^>]* tests="\([0-9]*\)".*/\1/p' "$r" | head -1)
  if [ "${s:-0}" -gt 0 ]; then echo "[check-reports] SKIPPED: $name ($s of $t)" >&2; skipped=1; fi
  case "$name" in
    *.container.*|*Container*IT) [ "${t:-0}" -gt "${s:-0}" ] && container_run=$((container_run + t - s)) ;;
  esac
done
if [ $skipped -ne 0 ]; then echo "[check-reports] integration tests were skipped: failing the build" >&2; exit 1; fi
if [ $container_run -eq 0 ]; then echo "[check-reports] no container-backed test executed: failing the build" >&2; exit 1; fi
echo "[check-reports] ${#reports[@]} IT classes, none skipped; $container_run container-backed tests executed"
