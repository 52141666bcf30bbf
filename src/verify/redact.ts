// Last line of defence: whatever a check or reporter wrote, no secret value from the
// stack's secrets dir leaves the process. Checks already name files and keys only.
export const REDACTED = '[REDACTED]';

/** values shorter than this are too likely to occur by chance (e.g. "true") */
const MIN_SECRET_LENGTH = 8;

export type Redactor = (s: string) => string;

export function makeRedactor(values: Iterable<string>): Redactor {
  const list = [...new Set([...values].map((v) => v.trim()).filter((v) => v.length >= MIN_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
  if (list.length === 0) return (s) => s;
  return (s) => {
    let out = s;
    for (const v of list) if (out.includes(v)) out = out.split(v).join(REDACTED);
    // JSON-escaped forms of a value (quotes, backslashes) must go too
    for (const v of list) {
      const esc = JSON.stringify(v).slice(1, -1);
      if (esc !== v && out.includes(esc)) out = out.split(esc).join(REDACTED);
    }
    return out;
  };
}
