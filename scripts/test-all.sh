#!/usr/bin/env bash
# Every test of the project, on a fresh Debian machine as root: installs and starts what
# the tests need (Docker engine, PostgreSQL, Node 24 + openclaw), builds the bundles and
# the single binary, then runs the suites in phases so the heavy ones do not starve each
# other on 2 cores. Ends with one line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

out=.cache/test-results
rm -rf "$out" && mkdir -p "$out"
t0=$SECONDS
phase() { printf '\n=== %s (%ss elapsed)\n' "$*" "$((SECONDS - t0))"; }

phase "setup: Docker engine"
bash scripts/setup-docker.sh
phase "setup: PostgreSQL"
bash scripts/setup-postgres.sh
phase "setup: Node 24 + openclaw"
bash scripts/setup-openclaw.sh
phase "build: bundles and the single binary"
npm run --silent build:binary

status=0
run_vitest() { # name, vitest args...
  local name=$1; shift
  phase "tests: $name"
  npx vitest run --reporter=default --reporter=json --outputFile.json="$out/$name.json" "$@" || status=1
}

run_vitest unit --exclude '**/*.e2e.test.ts' --exclude '**/*.openclaw.test.ts' --exclude 'node_modules/**'
run_vitest openclaw --no-file-parallelism openclaw.test
run_vitest e2e --no-file-parallelism e2e.test
OSS_BIN="$PWD/build/oss" run_vitest binary --config test/binary/vitest.config.ts

phase "summary"
echo "total: $((SECONDS - t0))s"
# one line per phase, then the plain closing line CI reads: "N passed, N failed"
node -e '
  const fs = require("fs");
  const dir = process.argv[1];
  let passed = 0, failed = 0, skipped = 0;
  for (const f of fs.readdirSync(dir).sort()) {
    const r = JSON.parse(fs.readFileSync(`${dir}/${f}`, "utf8"));
    // a file that failed to load has no failing test but must count as a failure
    const brokenFiles = r.testResults.filter((t) => t.status === "failed" && t.assertionResults.every((a) => a.status !== "failed")).length;
    passed += r.numPassedTests;
    failed += r.numFailedTests + brokenFiles;
    skipped += r.numPendingTests + r.numTodoTests;
    console.log(`${f.replace(".json", "")}: ${r.numPassedTests} passed, ${r.numFailedTests + brokenFiles} failed, ${r.numPendingTests} skipped`);
  }
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
' "$out"
exit $status
