// The bridge token comes from a secret file, never from env or argv. The bridge
// refuses to start on a missing, short or group/world-accessible file; errors name
// the file and the fix, never the value.
import { readFileSync, statSync } from 'node:fs';
import { OssError } from '../errors';
import { bridge } from '../stack/model';

export function readTokenFile(file: string): string {
  let mode: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new OssError(`token file ${file} is not a regular file`, { hint: 'point --token-file at the bridge_token secret file' });
    mode = st.mode & 0o777;
  } catch (err) {
    if (err instanceof OssError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new OssError(`token file ${file} cannot be read (${code ?? 'error'})`, {
      hint: code === 'ENOENT' ? 'create it with `oss init` (secrets/bridge_token) or pass --token-file' : 'check the path and its permissions',
    });
  }
  if ((mode & 0o077) !== 0) {
    throw new OssError(`token file ${file} is accessible to group or others (mode ${mode.toString(8).padStart(4, '0')})`, {
      hint: `run: chmod 600 ${file}`,
    });
  }
  let token: string;
  try {
    token = readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new OssError(`token file ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, {
      hint: 'the bridge must run as the file owner (uid 1000 in the stack)',
    });
  }
  if (token.length < bridge.minTokenLength) {
    throw new OssError(`token in ${file} is shorter than ${bridge.minTokenLength} characters`, {
      hint: 'generate a new one with `oss rotate-secrets` (64 hex characters)',
    });
  }
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new OssError(`token in ${file} contains spaces or characters that cannot travel in an HTTP header`, {
      hint: 'use printable ASCII only, e.g. 64 hex characters from `oss rotate-secrets`',
    });
  }
  return token;
}
