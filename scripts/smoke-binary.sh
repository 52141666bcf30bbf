#!/bin/sh
# Smoke-test the single executable as an operator meets it: an empty directory, no
# node_modules anywhere above it, an empty environment (env -i), no node on PATH needed.
#   sh scripts/smoke-binary.sh build/oss
set -eu
[ $# -eq 1 ] || { echo "usage: $0 path/to/oss" >&2; exit 2; }
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
[ -x "$bin" ] || { echo "smoke: $1 is not an executable file" >&2; exit 2; }
expected_version=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$(dirname "$0")/../package.json")

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
run() { env -i PATH=/usr/bin:/bin "$bin" "$@"; }
fail() { echo "smoke: FAIL: $*" >&2; for f in out err; do [ -s "$f" ] && sed 's/^/  | /' "$f" >&2; done; exit 1; }

run --version > out 2> err || fail "--version exited $?"
[ "$(cat out)" = "$expected_version" ] || fail "--version printed '$(cat out)', expected '$expected_version'"

run --help > out 2> err || fail "--help exited $?"
grep -q '^Usage: oss' out || fail "--help has no usage line"

# NODE_OPTIONS must not reach the embedded runtime (sea-config execArgvExtension: none)
env -i PATH=/usr/bin:/bin NODE_OPTIONS=--require=/nonexistent-oss-smoke.js "$bin" --version > out 2> err \
  || fail "NODE_OPTIONS changed the binary's behaviour"

# embedded files, process spawning and progress output inside the executable
run self-test --json > out 2> err || fail "self-test exited $?"
grep -q '"sea": true' out || fail "self-test does not report running as a single executable"

# templates are read from inside the executable
run init --dir stack --telegram-id 123456789 --dry-run > out 2> err || fail "init --dry-run exited $?"
[ ! -e stack ] || fail "init --dry-run wrote stack/"
run init --dir stack --telegram-id 123456789 > out 2> err || fail "init exited $?"
[ -f stack/docker-compose.yml ] || fail "init wrote no stack/docker-compose.yml"
[ -f stack/.oss/manifest.json ] || fail "init wrote no stack/.oss/manifest.json"

# a fresh render passes every static check (checks of OpenClaw's runtime state skip until it runs)
status=0
run verify --dir stack --static --json > out 2> err || status=$?
[ "$status" -eq 0 ] || fail "verify --static on a fresh render exited $status"
grep -q '"summary"' out || fail "verify --static --json printed no summary"
grep -q '"status": *"pass"' out || fail "verify --static passed no check at all"

[ ! -e node_modules ] || fail "something created node_modules"
echo "smoke ok: $1 ($expected_version)"
