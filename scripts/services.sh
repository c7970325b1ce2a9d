#!/usr/bin/env bash
# Makes sure the services Hangar needs are installed and running: PostgreSQL, NATS with JetStream,
# and a local OCI registry (Debian's docker-registry) on 127.0.0.1:5000 for image resolution tests;
# installs busybox-static (the demo images' one binary) and, where it can, podman with runc for real
# machines (configured by deploy/podman/containers.conf, never /etc).
# Idempotent: does nothing for a service that already answers.
set -euo pipefail

log() { printf 'services: %s\n' "$*" >&2; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() {
  for _ in $(seq 1 100); do port_open "$1" && return 0; sleep 0.1; done
  log "port $1 did not open"; return 1
}
apt_updated=0
install_pkg() {
  if [ "$apt_updated" = 0 ]; then apt-get update -qq; apt_updated=1; fi
  log "installing $1"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null
}
ensure_pkg() {
  local bin="$1" pkg="$2"
  if ! command -v "$bin" >/dev/null 2>&1 && [ ! -x "$bin" ]; then install_pkg "$pkg"; fi
}

# PostgreSQL
ensure_pkg pg_ctlcluster postgresql
if ! port_open 5432; then
  log "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start
  wait_port 5432
fi

# NATS with JetStream
ensure_pkg /usr/sbin/nats-server nats-server
if ! port_open 4222; then
  log "starting nats-server"
  mkdir -p /var/lib/nats-server
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
    -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
  wait_port 4222
fi

# OCI registry for the builder's tests (no auth, in-memory is not offered: a throwaway dir).
ensure_pkg /usr/bin/docker-registry docker-registry
if ! port_open 5000; then
  log "starting docker-registry on 127.0.0.1:5000"
  conf=/var/lib/hangar-registry/config.yml
  mkdir -p /var/lib/hangar-registry/data
  cat >"$conf" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: /var/lib/hangar-registry/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:5000
YAML
  start-stop-daemon --start --oknodo --background --make-pidfile --pidfile /var/run/hangar-registry.pid \
    --exec /usr/bin/docker-registry -- serve "$conf"
  wait_port 5000
fi

# busybox-static: checked by package, as Debian's dynamically linked busybox has the same path.
if ! dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed'; then install_pkg busybox-static; fi

# podman and runc for real machines: optional, their absence leaves the sim runtime.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if ! { ensure_pkg podman podman && ensure_pkg runc runc; }; then
  log "podman or runc could not be installed: real machines are unavailable (the sim runtime still works)"
elif ! CONTAINERS_CONF="$root/deploy/podman/containers.conf" timeout 30 podman info >/dev/null 2>&1; then
  log "podman info fails with deploy/podman/containers.conf: real machines are unavailable (the sim runtime still works)"
fi
