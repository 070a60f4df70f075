#!/usr/bin/env bash
# Static analysis of the contracts with slither, gated by the accepted findings in docs/slither.md.
#
# - slither lives in its own virtualenv (.venv-slither): slither 0.11 needs web3 < 8, the project
#   uses web3 8. Created on first use.
# - The standard-JSON input comes from scripts/build_contracts.js --input-json (every source
#   inlined, full bytecode output selected, else crytic-compile fails with KeyError 'sourceMap');
#   scripts/solc serves it through solcjs, as no native solc can be installed here.
# - Writes build/slither.json (slither's JSON report) and build/slither.txt (its text report),
#   then scripts/slither_gate.py fails on any High or Medium finding not accepted in
#   docs/slither.md.
#
# Environment: CONTRACTS_DIR (sources, default contracts/), SLITHER_OUT_DIR (default build/),
# SLITHER_ACCEPTED (default docs/slither.md), SLITHER_VENV (default .venv-slither).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SLITHER_VERSION="0.11.6"
CONTRACTS_DIR="$(realpath "${CONTRACTS_DIR:-$ROOT/contracts}")"
SLITHER_VENV="${SLITHER_VENV:-$ROOT/.venv-slither}"
OUT_DIR="$(realpath -m "${SLITHER_OUT_DIR:-$ROOT/build}")"
ACCEPTED="${SLITHER_ACCEPTED:-$ROOT/docs/slither.md}"
STAMP="$SLITHER_VENV/.slither-analyzer-$SLITHER_VERSION"

if [ ! -d "$ROOT/node_modules/solc" ]; then
  echo "slither.sh: node_modules/solc is missing: run 'make install' (or 'npm ci') first" >&2
  exit 1
fi

if [ ! -f "$STAMP" ]; then
  echo "slither.sh: installing slither-analyzer==$SLITHER_VERSION into $SLITHER_VENV"
  [ -x "$SLITHER_VENV/bin/python" ] || python3 -m venv "$SLITHER_VENV"
  if ! "$SLITHER_VENV/bin/python" -m pip install "slither-analyzer==$SLITHER_VERSION" \
    >"$SLITHER_VENV/install.log" 2>&1; then
    tail -n 30 "$SLITHER_VENV/install.log" >&2
    echo "slither.sh: pip install failed; log in $SLITHER_VENV/install.log" >&2
    exit 1
  fi
  touch "$STAMP"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/eternal-slither.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# slither/crytic-compile look the source names up on disk from the working directory:
# contracts/... and node_modules/@openzeppelin/... must both exist there.
mkdir "$work/tree"
ln -s "$CONTRACTS_DIR" "$work/tree/contracts"
ln -s "$ROOT/node_modules" "$work/tree/node_modules"
CONTRACTS_DIR="$CONTRACTS_DIR" node "$ROOT/scripts/build_contracts.js" \
  --out "$work/artifacts" --input-json "$work/tree/input.json"

mkdir -p "$OUT_DIR"
rm -f "$OUT_DIR/slither.json" # slither refuses to overwrite its JSON report
status=0
(
  cd "$work/tree"
  "$SLITHER_VENV/bin/slither" input.json \
    --compile-force-framework solc-json \
    --solc "$ROOT/scripts/solc" \
    --solc-remaps "@openzeppelin/=node_modules/@openzeppelin/" \
    --filter-paths node_modules \
    --fail-none \
    --json "$OUT_DIR/slither.json"
) >"$OUT_DIR/slither.txt" 2>&1 || status=$?
if [ "$status" -ne 0 ] || [ ! -s "$OUT_DIR/slither.json" ]; then
  tail -n 40 "$OUT_DIR/slither.txt" >&2
  echo "slither.sh: slither failed (exit $status); full log in $OUT_DIR/slither.txt" >&2
  exit 1
fi

"$SLITHER_VENV/bin/python" "$ROOT/scripts/slither_gate.py" \
  --report "$OUT_DIR/slither.json" --accepted "$ACCEPTED" --text "$OUT_DIR/slither.txt"
