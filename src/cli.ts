// Entry point: commander wiring from the command table. Keep imports light: each
// command module (and execa, zod, yaml, ora) is loaded only when its command runs.
import { Command, CommanderError, Option } from 'commander';
import { commandTable, type CommandSpec } from './commands/table';
import { ExitCode, isOssError } from './errors';

declare const __OSS_VERSION__: string;
const version: string = typeof __OSS_VERSION__ === 'string' ? __OSS_VERSION__ : '0.0.0-dev';

process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

function reportError(err: unknown): number {
  if (isOssError(err)) {
    process.stderr.write(`oss: error: ${err.message}\n`);
    if (err.hint) process.stderr.write(`hint: ${err.hint}\n`);
    return err.exitCode;
  }
  const msg = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`oss: internal error: ${msg}\n`);
  return ExitCode.usage;
}

function addCommand(program: Command, spec: CommandSpec, parents: Map<string, Command>): void {
  const words = spec.name.split(' ');
  let parent = program;
  for (const word of words.slice(0, -1)) {
    let group = parents.get(word);
    if (!group) {
      group = program.command(word).description(`${word} commands`);
      group.exitOverride();
      parents.set(word, group);
    }
    parent = group;
  }
  const cmd = parent.command(words[words.length - 1]!).description(spec.summary);
  for (const a of spec.args ?? []) cmd.argument(a.name, a.description);
  for (const o of spec.options) {
    const opt = new Option(o.flags, o.description);
    if (o.default !== undefined) opt.default(o.default);
    if (o.hidden) opt.hideHelp();
    cmd.addOption(opt);
  }
  if (spec.examples.length > 0) {
    cmd.addHelpText('after', `\nExamples:\n${spec.examples.map((e) => `  $ ${e}`).join('\n')}\n`);
  }
  cmd.exitOverride();
  cmd.action(async (...actionArgs: unknown[]) => {
    const command = actionArgs[actionArgs.length - 1] as Command;
    const opts = command.opts();
    const args = command.args;
    const mod = await spec.load();
    process.exitCode = await mod.run(opts, args);
  });
}

function buildProgram(): Command {
  const program = new Command();
  program
    .name('oss')
    .description('Install a hardened OpenClaw stack and prove, check by check, that it stays hardened.')
    .version(version, '-V, --version', 'print the version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.addHelpText(
    'after',
    `
Exit codes: 0 ok, 1 a check failed, 2 could not run (bad input, missing files).

Examples:
  $ oss init --dir ./demo --telegram-id 123456789
  $ oss verify --dir ./demo --static
  $ oss harden --dir ./demo
`,
  );
  const parents = new Map<string, Command>();
  for (const spec of commandTable) addCommand(program, spec, parents);
  return program;
}

// No top-level await: the bundle is CommonJS (a SEA main script must be).
buildProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    if (err instanceof CommanderError) {
      // help and version print and exit 0; every parse error is bad input
      process.exitCode = err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
      return;
    }
    process.exitCode = reportError(err);
  });
