#!/usr/bin/env bash
# Runs a command inside the project's toolchain (see ensure.sh): `run.sh node x.ts ...`.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/ensure.sh"
exec "$@"
