#!/usr/bin/env bash
# Ensures a Docker engine answers. Idempotent: does nothing if `docker info` already works.
# On Debian as root it installs docker.io and starts dockerd with host-only networking
# (no iptables, no bridge: containers here use host networking; see docs/containers.md).
set -euo pipefail
log() { echo "[docker-up] $*" >&2; }

if docker info >/dev/null 2>&1; then
  log "engine already answers; nothing to do"
  exit 0
fi

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  cat >&2 <<'MSG'
[docker-up] No Docker engine answers, and this is not root on Debian, so it cannot be installed here.
  Start a Docker engine yourself (any engine with API >= 1.41), or run this script as root on Debian.
  Containers need host networking; no registry access is required.
MSG
  exit 1
fi

if ! command -v dockerd >/dev/null 2>&1; then
  log "installing docker.io (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq docker.io >/dev/null
fi

if ! pgrep -x dockerd >/dev/null 2>&1; then
  log "starting dockerd (--iptables=false --ip6tables=false --bridge=none), log in /var/log/faultline-dockerd.log"
  # The daemon outlives this script: it must not inherit our other file descriptors (a caller's flock on a
  # lock file would otherwise stay held by dockerd for as long as it runs).
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd=${fd##*/}
      if [ "$fd" -gt 2 ]; then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    exec setsid dockerd --iptables=false --ip6tables=false --bridge=none </dev/null >/var/log/faultline-dockerd.log 2>&1
  ) &
fi

for i in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then
    log "engine answers after ${i}x0.5s: $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})' 2>/dev/null)"
    exit 0
  fi
  sleep 0.5
done
log "dockerd did not answer within 30 s; see /var/log/faultline-dockerd.log"
tail -20 /var/log/faultline-dockerd.log >&2 || true
exit 1
