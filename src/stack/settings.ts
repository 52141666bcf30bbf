// The operator's settings file (oss.yaml), validated with zod. Errors name the key,
// the bad value and what is allowed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { OssError } from '../errors';
import { SETTINGS_FILE, defaultImages, gateway, services, serviceKeys, type ServiceKey } from './model';

const memory = z
  .string()
  .regex(/^[1-9][0-9]*[kmg]$/, 'a size like 256m or 2g');

const resources = z
  .object({
    memory: memory.optional(),
    cpus: z.number().positive().max(64).optional(),
    pids: z.number().int().min(16).max(32768).optional(),
  })
  .strict();

const imageRef = z
  .string()
  .regex(
    /^[a-z0-9]+(?:[._\/-][a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}(?:@sha256:[a-f0-9]{64})?$/,
    'an image reference with a pinned tag, e.g. node:24-bookworm-slim (":latest" is refused)',
  )
  .refine((v) => !/:latest(@|$)/.test(v), 'a pinned tag, not :latest');

export const settingsSchema = z
  .object({
    version: z.literal(1).default(1),
    workspace: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lower-case letters, digits, "-" and "_", 1-63 characters')
      .default('default'),
    telegram: z
      .object({
        operatorIds: z
          .array(z.string().regex(/^[1-9][0-9]{0,19}$/, 'a numeric Telegram user id such as "123456789"'))
          .default([]),
      })
      .strict()
      .default({ operatorIds: [] }),
    gateway: z
      .object({
        port: z.number().int().min(1).max(65535).default(gateway.defaultHostPort),
      })
      .strict()
      .default({ port: gateway.defaultHostPort }),
    images: z
      .object({
        node: imageRef.default(defaultImages.node),
        debian: imageRef.default(defaultImages.debian),
        /** `never` when the base images are local (no registry reachable) */
        pullPolicy: z.enum(['missing', 'never', 'always']).default('missing'),
      })
      .strict()
      .default({ node: defaultImages.node, debian: defaultImages.debian, pullPolicy: 'missing' }),
    resources: z
      .object(Object.fromEntries(serviceKeys.map((k) => [k, resources.optional()])) as Record<ServiceKey, z.ZodOptional<typeof resources>>)
      .strict()
      .default({} as never),
    database: z
      .object({
        dsnSecret: z
          .string()
          .regex(/^[a-z][a-z0-9_]{0,62}$/, 'a secret file name: lower-case letters, digits and "_"')
          .default('db_dsn'),
      })
      .strict()
      .default({ dsnSecret: 'db_dsn' }),
    bridge: z
      .object({
        concurrency: z.number().int().min(1).max(64).default(4),
      })
      .strict()
      .default({ concurrency: 4 }),
    codex: z
      .object({
        /** npm spec installed in the codex worker image; "stub" installs a stand-in for tests */
        package: z.string().regex(/^(stub|@openai\/codex@[0-9][0-9A-Za-z.+-]*)$/, '"@openai/codex@<version>" or "stub"').default('@openai/codex@0.63.0'),
      })
      .strict()
      .default({ package: '@openai/codex@0.63.0' }),
  })
  .strict();

export type Settings = z.infer<typeof settingsSchema>;

export function defaultSettings(): Settings {
  return settingsSchema.parse({});
}

/** effective resource limits of a service: model default overridden by settings */
export function resourcesFor(settings: Settings, key: ServiceKey) {
  return { ...services[key].resources, ...(settings.resources[key] ?? {}) };
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function valueAt(obj: unknown, path: PropertyKey[]): unknown {
  let cur = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p];
  }
  return cur;
}

/** validate raw settings; throws an OssError naming every bad key */
export function parseSettings(raw: unknown, source = SETTINGS_FILE): Settings {
  const result = settingsSchema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const base = issue.path.map(String).join('.');
      return issue.keys
        .map((k) => `  ${base ? `${base}.` : ''}${k}: unknown key (allowed: ${allowedKeys(issue.path).join(', ')})`)
        .join('\n');
    }
    const key = issue.path.map(String).join('.') || '(top level)';
    const found = describeValue(valueAt(raw, issue.path));
    return `  ${key}: ${found} is not allowed; expected ${issue.message}`;
  });
  throw new OssError(`invalid settings in ${source}:\n${lines.join('\n')}`, {
    hint: `fix ${source} (see \`oss init --help\` for the keys) and run the command again`,
  });
}

function allowedKeys(path: PropertyKey[]): string[] {
  let schema: z.ZodType = settingsSchema;
  for (const p of path) {
    const def = unwrap(schema);
    if (def instanceof z.ZodObject) schema = def.shape[p as string] as z.ZodType;
    else return [];
  }
  const def = unwrap(schema);
  return def instanceof z.ZodObject ? Object.keys(def.shape) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s: z.ZodType = schema;
  while (s instanceof z.ZodDefault || s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
  return s;
}

/** read DIR/oss.yaml; missing file means defaults */
export function loadSettings(dir: string): { settings: Settings; exists: boolean } {
  const file = join(dir, SETTINGS_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { settings: defaultSettings(), exists: false };
    throw new OssError(`cannot read ${file}: ${(err as Error).message}`, {
      hint: 'check the path and its permissions',
    });
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new OssError(`${file} is not valid YAML: ${doc.errors[0]!.message}`, {
      hint: `fix the YAML syntax of ${file}`,
    });
  }
  return { settings: parseSettings(doc.toJS(), file), exists: true };
}
