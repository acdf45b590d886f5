#!/usr/bin/env bash
# Builds the local base image (Debian minbase + a Java 21+ runtime), unless the tag exists.
# No registry is reachable here, so the rootfs comes from debootstrap and `docker import`.
# Prints the tag on stdout.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
TAG=${FAULTLINE_BASE_IMAGE:-faultline/base:bookworm-jre}
log() { echo "[base-image] $*" >&2; }

if docker image inspect "$TAG" >/dev/null 2>&1; then
  log "$TAG exists"
  echo "$TAG"; exit 0
fi

# shellcheck source=java-home.sh
. "$here/java-home.sh"

if ! command -v debootstrap >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  else
    log "debootstrap is needed (root on Debian: apt-get install debootstrap)"; exit 1
  fi
fi

work=$(mktemp -d /tmp/faultline-base.XXXXXX)
trap 'rm -rf "$work"' EXIT
log "debootstrap minbase bookworm into $work/rootfs"
debootstrap --variant=minbase --include=procps,iproute2,netcat-openbsd bookworm "$work/rootfs" >"$work/debootstrap.log" 2>&1 \
  || { tail -30 "$work/debootstrap.log" >&2; exit 1; }

log "adding a Java runtime from $JAVA_HOME (jlink: all but desktop/debugger tools)"
mods=$("$JAVA_HOME/bin/java" --list-modules | sed 's/@.*//' | grep -v '^jdk\.\(hotspot\.agent\|jcmd\|jconsole\|jdi\|jdwp\|jpackage\|jshell\|javadoc\|jlink\|jstatd\|internal\.le\|editpad\|unsupported\.desktop\|internal\.opt\|internal\.ed\)$' | paste -sd, -)
"$JAVA_HOME/bin/jlink" --add-modules "$mods" --strip-debug --no-man-pages --no-header-files \
  --output "$work/rootfs/opt/java"
rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"* || true

log "docker import -> $TAG"
tar -C "$work/rootfs" -c . | docker import \
  --change 'ENV JAVA_HOME=/opt/java' \
  --change 'ENV PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'LABEL io.faultline.base=true' \
  - "$TAG" >/dev/null
log "built $TAG"
echo "$TAG"
