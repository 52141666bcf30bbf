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
    // a truncated copy (e.g. an error message shortening a long value) still leaks most of
    // a secret: scrub any run of WINDOW or more consecutive characters of a long secret
    for (const v of list) {
      if (v.length < 2 * WINDOW) continue;
      for (let k = 0; k + WINDOW <= v.length; k++) {
        const w = v.slice(k, k + WINDOW);
        for (let i = out.indexOf(w); i >= 0; i = out.indexOf(w)) {
          let a = i;
          let b = i + WINDOW;
          for (let vk = k - 1; a > 0 && vk >= 0 && out[a - 1] === v[vk]; vk--) a--;
          for (let vk = k + WINDOW; b < out.length && vk < v.length && out[b] === v[vk]; vk++) b++;
          out = `${out.slice(0, a)}${REDACTED}${out.slice(b)}`;
        }
      }
    }
    return out;
  };
}

/** consecutive characters of a long secret that count as a leak */
const WINDOW = 12;
