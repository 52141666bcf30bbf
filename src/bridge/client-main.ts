// Entry of dist/bridge-client.cjs, mounted in the gateway as
// /home/node/.openclaw/bridge-client.cjs and called by the three wrapper scripts.
import { runClient } from './client';

runClient(process.argv.slice(2), {
  env: process.env,
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
}).then((code) => {
  process.exitCode = code;
});
