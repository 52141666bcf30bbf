#!/bin/sh
# query-readonly.sh (gateway side, allowlisted in the exec policy): sends one SQL text to
# the bridge; the read-only query runner validates and runs it. Exits with its exit code.
set -eu
exec node {{gateway.configDir}}/bridge-client.cjs query-readonly "${1:-}"
