// Every command and option, defined once. cli.ts turns this table into commander
// commands; each action lazily imports its module so `oss --help` loads nothing heavy.
import { bridge as bridgeModel, socketProxy } from '../stack/model';

export interface OptionSpec {
  flags: string;
  description: string;
  default?: string | boolean | string[];
  /** hidden from --help (test-only switches) */
  hidden?: boolean;
}

export interface CommandSpec {
  /** "init", or "bridge serve" for a subcommand */
  name: string;
  summary: string;
  args?: { name: string; description: string }[];
  options: OptionSpec[];
  examples: string[];
  /** lazy loader; the module's `run(opts, args)` returns the exit code */
  load: () => Promise<{ run: (opts: Record<string, unknown>, args: string[]) => Promise<number> }>;
}

const dirOption: OptionSpec = {
  flags: '--dir <dir>',
  description: 'stack directory (default: /opt/openclaw-stack as root, ./openclaw-stack otherwise)',
};
const jsonOption: OptionSpec = { flags: '--json', description: 'print machine-readable JSON on stdout' };

export const commandTable: CommandSpec[] = [
  {
    name: 'init',
    summary: 'render the hardened stack and generate its secrets',
    options: [
      dirOption,
      { flags: '--telegram-id <id...>', description: 'Telegram operator user id(s) to allowlist (numeric)' },
      { flags: '--port <port>', description: 'host port for the gateway, published on 127.0.0.1 (default 8080)' },
      { flags: '--workspace <name>', description: 'codex worker workspace name' },
      { flags: '--force', description: 'overwrite rendered files the operator has edited (secrets are never regenerated)' },
      { flags: '--dry-run', description: 'write nothing; list what would change' },
      jsonOption,
    ],
    examples: [
      'oss init --dir /opt/openclaw-stack --telegram-id 123456789',
      'oss init --dir ./demo --dry-run',
      'oss init --dir ./demo --force   # re-render files you edited, showing the diff',
    ],
    load: () => import('./init'),
  },
  {
    name: 'verify',
    summary: 'run every hardening check and report pass/fail',
    options: [
      dirOption,
      { flags: '--static', description: 'only checks that read files (no Docker, no OpenClaw CLI)' },
      { flags: '--deep', description: 'also ask the openclaw CLI for its effective policy (slow)' },
      { flags: '--redteam', description: 'run real agent turns against a scripted mock model' },
      { flags: '--local', description: 'check an openclaw home on this host instead of the gateway container' },
      { flags: '--openclaw-home <dir>', description: 'OpenClaw state dir for --local (default ~/.openclaw)' },
      { flags: '--only <ids>', description: 'comma-separated check ids or control numbers to run' },
      { flags: '--skip <ids>', description: 'comma-separated check ids or control numbers to skip' },
      { flags: '--fail-on <severity>', description: 'lowest severity that fails the run: low|medium|high|critical', default: 'low' },
      jsonOption,
      { flags: '--junit <file>', description: 'also write a JUnit XML report' },
      { flags: '--sarif <file>', description: 'also write a SARIF 2.1.0 report' },
      { flags: '--quiet', description: 'print nothing when every check passes (cron)' },
    ],
    examples: [
      'oss verify --dir /opt/openclaw-stack',
      'oss verify --static --json > report.json',
      'oss verify --quiet --junit verify.xml --sarif verify.sarif   # CI',
      'oss verify --only 1,C.3 --fail-on high',
    ],
    load: () => import('./verify'),
  },
  {
    name: 'self-test',
    summary: 'check this oss executable works here: shipped files, child processes, output',
    options: [jsonOption],
    examples: ['oss self-test', 'oss self-test --json   # lists every shipped file with its sha256'],
    load: () => import('./self-test'),
  },
  {
    name: 'set-key',
    summary: 'set an operator key (codex, gateway-llm, telegram, db) from stdin or its env var; restart its consumer',
    args: [
      { name: '<key>', description: 'codex | gateway-llm | telegram | db' },
      { name: '[value]', description: 'refused: a value on the command line leaks via ps and shell history' },
    ],
    options: [
      dirOption,
      { flags: '--no-restart', description: 'write the file only; print which service must be restarted' },
      jsonOption,
      // values given as options are refused with the reason, never echoed in a parse error
      { flags: '--value <value>', description: 'refused', hidden: true },
      { flags: '--key <value>', description: 'refused', hidden: true },
      { flags: '--token <value>', description: 'refused', hidden: true },
    ],
    examples: [
      'oss set-key telegram            # hidden prompt on a terminal',
      'oss set-key codex < codex.key   # value on stdin',
      'CODEX_API_KEY=... oss set-key codex   # or in env: CODEX_API_KEY, OPENAI_API_KEY (gateway-llm), TELEGRAM_BOT_TOKEN, OSS_DB_DSN (db)',
      'oss set-key gateway-llm --no-restart --dir ./demo',
    ],
    load: () => import('./set-key'),
  },
  {
    name: 'rotate-secrets',
    summary: 'replace the bridge and gateway tokens (and, when named, operator keys); restart consumers and prove it',
    options: [
      dirOption,
      {
        flags: '--only <names>',
        description:
          'comma-separated secrets to rotate (default: bridge_token,gateway_token); operator keys (codex, gateway-llm, telegram, db) read their new value from stdin or env, one line each in the order given',
      },
      { flags: '--no-restart', description: 'rotate the files only; print which services must be restarted, in order' },
      jsonOption,
    ],
    examples: [
      'oss rotate-secrets --dir /opt/openclaw-stack',
      'oss rotate-secrets --only gateway_token --no-restart',
      'printf "%s\\n" "$NEW_BOT_TOKEN" | oss rotate-secrets --only bridge_token,telegram',
      'oss rotate-secrets   # after a crash: completes or rolls back the interrupted rotation first',
    ],
    load: () => import('./rotate-secrets'),
  },
  {
    name: 'bridge serve',
    summary: 'run the bridge on this host (outside Docker), e.g. for tests and benchmarks',
    options: [
      { flags: '--host <host>', description: 'address to listen on', default: '127.0.0.1' },
      { flags: '--port <port>', description: 'port to listen on (0 picks a free one)', default: String(bridgeModel.port) },
      { flags: '--token-file <file>', description: 'file holding the bearer token (>= 32 chars, mode 600)' },
      { flags: '--commands <file>', description: 'JSON map of route name -> local argv; without it workers run by Docker exec' },
      { flags: '--docker <host:port>', description: 'Engine API (socket proxy) for Docker exec', default: `${socketProxy.host}:${socketProxy.port}` },
      { flags: '--concurrency <n>', description: 'execution slots; more concurrent requests get 503 busy', default: String(bridgeModel.concurrency) },
      { flags: '--route-timeout-ms <ms>', description: 'override every route timeout (tests)', hidden: true },
      { flags: '--headers-timeout-ms <ms>', description: 'override the header timeout (tests)', hidden: true },
      jsonOption,
    ],
    examples: [
      'oss bridge serve --port 8005 --token-file ./secrets/bridge_token --commands stub-commands.json',
      'oss bridge serve --port 0 --token-file ./secrets/bridge_token --docker 127.0.0.1:2375 --json',
      'echo \'{"run-codex":["/bin/cat"],"deploy-staging":["/bin/true"],"query-readonly":["/bin/cat"]}\' > cmds.json',
    ],
    load: () => import('./bridge-serve'),
  },
  {
    name: 'query',
    summary: 'validate one SQL statement from stdin and run it read-only; prints JSON (the db-query worker runs the same code)',
    options: [
      { flags: '--validate-only', description: 'validate with the PostgreSQL grammar and the function policy; no database needed' },
      {
        flags: '--dsn-file <file>',
        description: 'file holding the read-only role\'s DSN (default: $OSS_DB_DSN_FILE, else /run/secrets/db_dsn); never pass the DSN itself',
      },
    ],
    examples: [
      'echo "SELECT id, created_at FROM orders ORDER BY id" | oss query --dsn-file ./secrets/db_dsn',
      'echo "SELECT 1; DROP TABLE orders" | oss query --validate-only   # exit 3: {"error":"refused: exactly one statement ..."}',
      'oss query --dsn-file ./secrets/db_dsn < report.sql | jq .rows',
      '# exit codes: 0 rows printed, 2 usage, 3 refused by validation, 4 database error or timeout',
    ],
    load: () => import('./query'),
  },
  {
    name: 'db-role-sql',
    summary: 'print the SQL that creates the least-privilege PostgreSQL role the query runner logs in as',
    options: [
      { flags: '--role <name>', description: 'role name (default oss_readonly)' },
      { flags: '--schema <name>', description: 'the one schema the role may read (default public)' },
      { flags: '--password-file <file>', description: 'set the LOGIN password from this file (else the SQL ends with \\password)' },
      jsonOption,
    ],
    examples: [
      'oss db-role-sql | sudo -u postgres psql -d appdb   # prompts for the new role\'s password',
      'oss db-role-sql --schema reporting --password-file pw.txt | psql "$ADMIN_URL"',
      'oss db-role-sql --json | jq -r .sql > role.sql',
    ],
    load: () => import('./db-role-sql'),
  },
  {
    name: 'harden',
    summary: 'put the OpenClaw gateway into the hardened state (exec policy, allowlist, tools policy) and read it back',
    options: [
      dirOption,
      { flags: '--local', description: 'harden an openclaw on PATH with its own state dir instead of the gateway container' },
      { flags: '--openclaw-home <dir>', description: 'OpenClaw state dir for --local (default ~/.openclaw)' },
      { flags: '--dry-run', description: 'print the plan (current vs model) and change nothing' },
      jsonOption,
      { flags: '--container <name>', description: 'gateway container name (tests)', hidden: true },
    ],
    examples: [
      'oss harden --dir /opt/openclaw-stack',
      'oss harden --dir ./demo --dry-run',
      'oss harden --local --openclaw-home ~/.openclaw --json',
      '# exit codes: 0 hardened and read back, 1 a field did not take (listed), 2 could not run',
    ],
    load: () => import('./harden'),
  },
  {
    name: 'telegram enable',
    summary: 'enable the Telegram channel, only when every other check passes (control 7)',
    options: [
      dirOption,
      { flags: '--local', description: 'an openclaw on PATH with its own state dir instead of the gateway container' },
      { flags: '--openclaw-home <dir>', description: 'OpenClaw state dir for --local (default ~/.openclaw)' },
      jsonOption,
    ],
    examples: [
      'oss telegram enable --dir /opt/openclaw-stack',
      '# refuses (exit 1) and lists the failing checks when anything else is not hardened',
    ],
    load: () => import('./telegram'),
  },
  {
    name: 'up',
    summary: 'build and start the stack with docker compose and wait for every healthcheck',
    options: [
      dirOption,
      { flags: '--timeout <seconds>', description: 'how long to wait for every service to be healthy', default: '600' },
      { flags: '--no-build', description: 'start with the images already built' },
      jsonOption,
    ],
    examples: [
      'oss up --dir /opt/openclaw-stack',
      'oss up --dir ./demo --timeout 900 --json',
      '# exit codes: 0 every service healthy, 1 a service failed (named, with its last log lines), 2 could not run',
    ],
    load: () => import('./up'),
  },
  {
    name: 'down',
    summary: 'stop the stack and remove its containers, networks and volumes',
    options: [
      dirOption,
      { flags: '--keep-volumes', description: 'keep named volumes (the codex workspace)' },
      jsonOption,
    ],
    examples: ['oss down --dir /opt/openclaw-stack', 'oss down --dir ./demo --keep-volumes'],
    load: () => import('./down'),
  },
];
