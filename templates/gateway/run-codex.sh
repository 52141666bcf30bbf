#!/bin/sh
# run-codex.sh (gateway side, allowlisted in the exec policy): sends one prompt to the
# bridge and exits with the worker's exit code. The bridge rejects an empty prompt and
# one over the cap; the codex worker prepends the fixed preamble.
set -eu
exec node {{gateway.configDir}}/bridge-client.cjs run-codex "${1:-}"
