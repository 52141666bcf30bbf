#!/bin/sh
# deploy-staging.sh (gateway side, allowlisted in the exec policy): triggers the fixed
# staging deploy. It takes no input at all: arguments are refused, nothing is forwarded.
set -eu
if [ "$#" -ne 0 ]; then
  echo "deploy-staging.sh: takes no arguments" >&2
  exit 2
fi
exec node {{gateway.configDir}}/bridge-client.cjs deploy-staging
