// Shape warnings for operator-supplied keys. They describe the value (prefix, length)
// without ever quoting it: a wrong paste should surface, never be printed.
import { OssError } from '../errors';
import type { SecretModel } from '../stack/model';

/** warnings for a value; never contain the value or any part of it */
export function formatWarnings(secret: SecretModel, value: string): string[] {
  const warnings: string[] = [];
  switch (secret.name) {
    case 'openai_api_key':
    case 'codex_api_key':
      // OpenAI-style keys start with "sk-"; providers change formats, so warn, never refuse
      if (!value.startsWith('sk-')) warnings.push(`${secret.title} does not start with "sk-"; double-check the value`);
      if (value.length < 20) warnings.push(`${secret.title} is suspiciously short (${value.length} characters)`);
      break;
    case 'telegram_bot_token':
      if (!/^[0-9]+:[A-Za-z0-9_-]+$/.test(value)) warnings.push(`${secret.title} does not have the <digits>:<body> shape`);
      if (value.length < 30 || value.length > 80) {
        warnings.push(`${secret.title} length ${value.length} is outside 30..80 characters; double-check`);
      }
      break;
    case 'db_dsn':
      if (!/^postgres(ql)?:\/\//.test(value)) warnings.push(`${secret.title} does not start with postgres:// or postgresql://`);
      break;
    default:
      break;
  }
  if (secret.minLength && value.length < secret.minLength) {
    warnings.push(`${secret.title} is shorter than ${secret.minLength} characters`);
  }
  return warnings;
}

/** hard errors: values that cannot be a secret file's content */
export function assertUsableValue(secret: SecretModel, value: string, source: string): void {
  if (value.length === 0) {
    throw new OssError(`no value for ${secret.name} on ${source}`, {
      hint: `pipe the value on stdin (e.g. \`oss set-key ${secret.setKeyAlias ?? secret.name} < file\`)${secret.envVar ? ` or set ${secret.envVar}` : ''}`,
    });
  }
  if (/[\r\n\0]/.test(value)) {
    throw new OssError(`the value for ${secret.name} on ${source} spans several lines or holds a NUL byte`, {
      hint: 'give exactly one line: the key itself, nothing else',
    });
  }
  if (/^\s|\s$/.test(value)) {
    throw new OssError(`the value for ${secret.name} on ${source} starts or ends with whitespace`, {
      hint: 'remove the surrounding spaces or tabs and run again',
    });
  }
}
