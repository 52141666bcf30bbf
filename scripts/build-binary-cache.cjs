// V8 code cache for dist/commands.cjs, made by the Node the single executable embeds
// (run by scripts/build-binary.mjs with that binary). The bundle is compiled with the
// same wrapper text as src/runtime/command-bundle.ts, then trained: `init --dry-run`,
// `init` and `verify --static` run on a temp stack, so the cache also holds every
// function those compiled lazily (~25 ms less per command run than a top-level cache).
// Training is best effort: if a command fails, the cache is written all the same.
//   node scripts/build-binary-cache.cjs dist/commands.cjs build/commands.cjs.v8cache
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');

const [bundleArg, outArg] = process.argv.slice(2);
const bundle = path.resolve(bundleArg);
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${fs.readFileSync(bundle, 'utf8')}\n})`, {
  filename: bundle,
});
const mod = { exports: {} };
script.runInThisContext()(mod.exports, require, mod, bundle, path.dirname(bundle));

async function train() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oss-cache-train-'));
  const stack = path.join(dir, 'stack');
  const write = { out: process.stdout.write, err: process.stderr.write };
  const trained = [];
  process.stdout.write = process.stderr.write = () => true;
  try {
    const runs = [
      ['./init', { dir: stack, telegramId: ['123456789'], dryRun: true }],
      ['./init', { dir: stack, telegramId: ['123456789'] }],
      ['./verify', { dir: stack, static: true, failOn: 'low' }],
      ['./verify', { dir: stack, static: true, failOn: 'low', json: true }],
    ];
    for (const [specifier, opts] of runs) {
      const load = mod.exports.commands[specifier];
      if (!load) continue;
      try {
        const code = await (await load()).run(opts, []);
        trained.push(`${specifier.slice(2)}${opts.dryRun ? ' --dry-run' : ''}${opts.json ? ' --json' : ''} (exit ${code})`);
      } catch (err) {
        trained.push(`${specifier.slice(2)} failed: ${String(err && err.message).split('\n')[0]}`);
      }
    }
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
    process.exitCode = 0;
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return trained;
}

train().then((trained) => {
  const data = script.createCachedData();
  fs.writeFileSync(outArg, data);
  process.stdout.write(`code cache ${data.length} bytes; trained: ${trained.join(', ') || 'nothing'}\n`);
  process.exit(0);
});
