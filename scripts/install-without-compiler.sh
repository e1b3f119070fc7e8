#!/usr/bin/env bash
# Checks that an install where better-sqlite3 cannot be built still works for people who only
# train and watch: in a scratch clone, `pnpm install` runs with a PATH that has node, pnpm and
# the usual tools but no python3, make or g++, with no prebuilt binary (npm_config_build_from_source) and no
# cached build (side-effects cache off), so better-sqlite3's native build fails. Then:
#   - `pnpm install` must succeed (better-sqlite3 is an optional dependency of apps/api);
#   - `pnpm train` and `pnpm start` (plain mode: no terminal) must train;
#   - `pnpm serve` must exit non-zero, with mnist-api's one-line reason on stderr.
# Usage: scripts/install-without-compiler.sh [REPO]   (default: this checkout's committed HEAD)
# Not part of `pnpm test` (it installs a whole tree: a few minutes).
set -euo pipefail
repo="${1:-$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)}"
work="$(mktemp -d /tmp/mnist-nocc-XXXXXX)"
trap 'rm -rf "$work"' EXIT
git clone -q "$repo" "$work/repo"

# A PATH with node, pnpm and the system's tools, less every compiler, make and python.
mkdir -p "$work/bin"
for dir in /usr/local/bin /usr/bin /bin; do
  for f in "$dir"/*; do
    name="$(basename "$f")"
    case "$name" in
      python* | make | gmake | g++* | gcc* | cc | c++ | clang* | cpp* | *-linux-gnu-* | node-gyp*) continue ;;
    esac
    if [ -x "$f" ] && [ ! -e "$work/bin/$name" ]; then ln -s "$f" "$work/bin/$name"; fi
  done
done
ln -sf "$(command -v node)" "$work/bin/node"
ln -sf "$(command -v pnpm)" "$work/bin/pnpm"
for tool in python3 python make g++ gcc cc c++; do
  if PATH="$work/bin" command -v "$tool" >/dev/null 2>&1; then
    echo "FAIL: $tool is still on the restricted PATH" >&2
    exit 1
  fi
done
run() { (cd "$work/repo" && env -i HOME="$HOME" PATH="$work/bin" TERM=dumb CI=1 \
  npm_config_build_from_source=true npm_config_side_effects_cache=false \
  TURBO_TELEMETRY_DISABLED=1 "$@"); }

echo "== pnpm install (better-sqlite3 cannot build here)"
run pnpm install --prefer-offline --config.side-effects-cache=false >"$work/install.log" 2>&1 ||
  { tail -30 "$work/install.log"; echo "FAIL: pnpm install failed" >&2; exit 1; }
if ls "$work/repo/node_modules/.pnpm/" | grep -q '^better-sqlite3@' &&
  find "$work/repo/node_modules/.pnpm/" -path '*better-sqlite3/build/Release/better_sqlite3.node' | grep -q .; then
  echo "FAIL: better-sqlite3 was built after all; the check proves nothing" >&2
  exit 1
fi
grep -i 'better-sqlite3' "$work/install.log" | tail -3 || true
echo "ok: pnpm install succeeded without better-sqlite3"

echo "== pnpm train"
run pnpm train --preset fast --limit 2000 --epochs 1 >"$work/train.log" 2>&1 ||
  { tail -30 "$work/train.log"; echo "FAIL: pnpm train failed" >&2; exit 1; }
tail -2 "$work/train.log"

echo "== pnpm start (plain mode)"
run pnpm start --preset fast --limit 2000 --epochs 1 </dev/null >"$work/start.log" 2>&1 ||
  { tail -30 "$work/start.log"; echo "FAIL: pnpm start failed" >&2; exit 1; }
tail -2 "$work/start.log"

echo "== pnpm serve (must refuse with one line)"
set +e
run node apps/api/dist/server.js --port 0 >"$work/serve.out" 2>"$work/serve.err"
code=$?
run pnpm serve --port 0 >"$work/pnpm-serve.log" 2>&1
pnpm_code=$?
set -e
cat "$work/serve.err"
if [ "$code" -ne 1 ] || [ "$(wc -l <"$work/serve.err")" -ne 1 ] ||
  ! grep -q '^mnist-api: the API needs better-sqlite3' "$work/serve.err"; then
  echo "FAIL: mnist-api exited $code; expected 1 and one line on stderr" >&2
  exit 1
fi
if [ "$pnpm_code" -eq 0 ] || ! grep -q '^mnist-api: the API needs better-sqlite3' "$work/pnpm-serve.log"; then
  echo "FAIL: pnpm serve exited $pnpm_code without the reason" >&2
  exit 1
fi
echo "ok: mnist-api exits $code with one line; pnpm serve exits $pnpm_code"
echo "PASS"
