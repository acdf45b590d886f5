#!/usr/bin/env bash
# Runs every test: ensures the Docker engine and the local base image, then `./mvnw -B verify`.
# Extra arguments go to Maven (e.g. ci/test.sh -pl checker).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=java-home.sh
. ci/java-home.sh
echo "[test] JDK: $JAVA_HOME" >&2
ci/docker-up.sh
ci/chromium-up.sh
FAULTLINE_BASE_IMAGE=$(ci/base-image.sh)
export FAULTLINE_BASE_IMAGE
exec ./mvnw -B verify "$@"
