// Where secret values come from: the matching environment variable or stdin (hidden on
// a TTY). Never argv: anything on a command line is visible in `ps` and shell history.
import { OssError } from '../errors';
import { secrets, type SecretModel } from '../stack/model';
import { assertUsableValue } from './format';

export interface ValueSource {
  stdin: NodeJS.ReadStream | NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export interface SuppliedValue {
  secret: SecretModel;
  value: string;
  /** "stdin" or "env OPENAI_API_KEY": where it came from, for messages */
  from: string;
}

/** the refusal for a value given on the command line */
export function argvValueError(what: string): OssError {
  return new OssError(`refusing to take ${what} from the command line`, {
    hint:
      'a value in argv is visible to every user in `ps` and stays in your shell history; ' +
      'pipe it on stdin (`oss set-key telegram < token.txt`), type it at the hidden prompt, ' +
      'or pass it in the environment variable shown by `oss set-key --help`',
  });
}

/** drop every secret-bearing variable from our environment so no child process inherits it */
export function scrubSecretEnv(env: NodeJS.ProcessEnv = process.env): void {
  for (const s of secrets) if (s.envVar) delete env[s.envVar];
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** one line from a TTY with echo off (raw mode); Ctrl-C cancels */
export function readHidden(src: ValueSource, prompt: string): Promise<string> {
  const stdin = src.stdin as NodeJS.ReadStream;
  // echo off before the prompt appears: anything typed after seeing it stays hidden
  stdin.setRawMode(true);
  src.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let buf = '';
    const finish = (err: Error | null) => {
      stdin.removeListener('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      src.stderr.write('\n');
      if (err) reject(err);
      else resolve(buf);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish(null);
        if (ch === '\u0003') return finish(new OssError('cancelled at the prompt; nothing was changed', { exitCode: 2 }));
        if (ch === '\u007f' || ch === '\b') buf = buf.slice(0, -1);
        else buf += ch;
      }
    };
    stdin.resume();
    stdin.on('data', onData);
  });
}

/**
 * Values for `wanted`, in order: each from its env var when set, the rest from stdin
 * (one line each, in the same order; a hidden prompt per value on a TTY).
 */
export async function collectValues(wanted: SecretModel[], src: ValueSource): Promise<SuppliedValue[]> {
  const out: SuppliedValue[] = [];
  const fromStdin: SecretModel[] = [];
  for (const secret of wanted) {
    const envValue = secret.envVar ? src.env[secret.envVar] : undefined;
    if (envValue !== undefined && envValue !== '') {
      assertUsableValue(secret, envValue, `env ${secret.envVar}`);
      out.push({ secret, value: envValue, from: `env ${secret.envVar}` });
    } else fromStdin.push(secret);
  }
  if (fromStdin.length === 0) return out;
  if ((src.stdin as { isTTY?: boolean }).isTTY) {
    for (const secret of fromStdin) {
      const value = await readHidden(src, `Paste the ${secret.title} (${secret.name}) and press Enter (input hidden): `);
      assertUsableValue(secret, value, 'the prompt');
      out.push({ secret, value, from: 'prompt' });
    }
    return wanted.map((w) => out.find((o) => o.secret.name === w.name)!);
  }
  const text = await readAll(src.stdin);
  const lines = text.replace(/\r?\n$/, '').split(/\r?\n/);
  if (text === '' || lines.length !== fromStdin.length) {
    const names = fromStdin.map((s) => s.name).join(', ');
    throw new OssError(
      text === ''
        ? `no value on stdin for ${names}`
        : `stdin has ${lines.length} line(s) but ${fromStdin.length} value(s) are needed (${names})`,
      {
        hint: `give one line per value, in this order: ${names}${fromStdin.some((s) => s.envVar) ? `; or set ${fromStdin.filter((s) => s.envVar).map((s) => s.envVar).join(', ')}` : ''}`,
      },
    );
  }
  fromStdin.forEach((secret, i) => {
    const value = lines[i]!;
    assertUsableValue(secret, value, 'stdin');
    out.push({ secret, value, from: 'stdin' });
  });
  return wanted.map((w) => out.find((o) => o.secret.name === w.name)!);
}
