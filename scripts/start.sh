#!/usr/bin/env bash
# `npm start`: Hangar in one process (`hangar server`) on a NATS server of its own with
# authentication (DESIGN §4 "Trust"): `hangar nats init` writes the configuration and one nkey per
# service into .hangar/nats (HANGAR_NATS_DIR), and nats-server runs it on 127.0.0.1:4223
# (HANGAR_NATS_PORT). The machine's shared NATS on 4222 has no authentication and is left to tests.
# Machines are podman containers when podman works here, simulated otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/services.sh
npm run build --silent

mkdir -p "${HANGAR_NATS_DIR:-.hangar/nats}"
dir="$(cd "${HANGAR_NATS_DIR:-.hangar/nats}" && pwd)" # absolute: start-stop-daemon runs nats-server from /
port="${HANGAR_NATS_PORT:-4223}"
ns="${HANGAR_NAMESPACE:-hangar}"
log() { printf 'start: %s\n' "$*" >&2; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

changed="$(node dist/apps/cli/main.js nats init --dir "$dir" --port "$port" --namespace "$ns" --json | node -e 'process.stdin.on("data", (d) => (s += d)); let s = ""; process.stdin.on("end", () => console.log(JSON.parse(s).changed))')"
pidfile="$dir/nats-server.pid"
if ! port_open "$port"; then
  log "starting Hangar's nats-server (authenticated) on 127.0.0.1:$port"
  start-stop-daemon --start --oknodo --background --make-pidfile --pidfile "$pidfile" \
    --exec /usr/sbin/nats-server -- -c "$dir/nats.conf" -l "$dir/nats-server.log"
  for _ in $(seq 1 100); do port_open "$port" && break; sleep 0.1; done
  port_open "$port" || { log "nats-server did not start; see $dir/nats-server.log"; exit 1; }
elif [ "$changed" = "true" ] && [ -f "$pidfile" ]; then
  log "reloading Hangar's nats-server: its configuration changed"
  /usr/sbin/nats-server --signal "reload=$(cat "$pidfile")"
fi

# Real machines where podman works (issue 13), the simulator elsewhere; HANGAR_FLEET_RUNTIME overrides.
if [ -z "${HANGAR_FLEET_RUNTIME:-}" ]; then
  if command -v podman >/dev/null 2>&1 && CONTAINERS_CONF="$PWD/deploy/podman/containers.conf" podman info >/dev/null 2>&1; then
    export HANGAR_FLEET_RUNTIME=podman
    log "podman works here: every machine is a real container (HANGAR_FLEET_RUNTIME=podman)"
  else
    export HANGAR_FLEET_RUNTIME=sim
    log "podman is not available: machines are simulated (HANGAR_FLEET_RUNTIME=sim)"
  fi
fi

export NATS_URL="nats://127.0.0.1:$port" HANGAR_NATS_CREDENTIALS="$dir"
exec node dist/apps/cli/main.js server
