// Lazily read and parsed files of a stack directory, shared by all static checks of a
// run. Each getter reads once; a file that cannot be parsed throws a StackFileError
// naming the file and line, which the engine reports as the check's error.
import { existsSync, lstatSync, readdirSync, readFileSync, type Stats } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { COMPOSE_FILE, MANIFEST_FILE, SECRETS_DIR } from '../stack/model';
import { layout } from '../stack/layout';
import { mergeCompose, parseDotEnv, type ComposeProject } from './compose';
import { parseJsonSource, parseYamlSource, StackFileError, type YamlSource } from './yaml-source';

export { StackFileError };

export interface StackEntry {
  /** path relative to the stack dir, "/" separated */
  rel: string;
  stat: Stats;
}

export interface SecretFile {
  name: string;
  rel: string;
  stat: Stats;
}

export interface Manifest {
  /** rel path -> sha256 hex */
  files: Record<string, string>;
}

export interface StackFiles {
  dir: string;
  /** read a file relative to the stack dir; null when absent */
  text(rel: string): string | null;
  /** raw bytes of a file (read once per run); null when absent */
  bytes(rel: string): Buffer | null;
  /** the effective compose project (base + override files compose would load) */
  compose(): ComposeProject;
  /** compose files compose would load, base first */
  composeFiles(): string[];
  /** gateway/config/openclaw.json, parsed (JSON, with JSON5 comments/trailing commas tolerated) */
  openclaw(): YamlSource;
  manifest(): Manifest | null;
  /** every entry under the stack dir (not following symlinks), skipping .git */
  walk(): StackEntry[];
  secretFiles(): SecretFile[];
  /** secret values by file name, only for comparisons; never put one in evidence */
  secretValues(): Map<string, string>;
}

/** override file names `docker compose` loads next to docker-compose.yml */
export const COMPOSE_OVERRIDE_FILES = ['docker-compose.override.yml', 'docker-compose.override.yaml', 'compose.override.yml', 'compose.override.yaml'];

const EXTRA_COMPOSE = /^(docker-)?compose(\.[A-Za-z0-9_-]+)*\.ya?ml$/;

function memo<T>(f: () => T): () => T {
  let done = false;
  let v: T;
  return () => {
    if (!done) {
      v = f();
      done = true;
    }
    return v;
  };
}

export function openStackFiles(dir: string): StackFiles {
  const cache = new Map<string, Buffer | null>();
  const bytes = (rel: string): Buffer | null => {
    if (cache.has(rel)) return cache.get(rel)!;
    let b: Buffer | null;
    try {
      b = readFileSync(join(dir, rel));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new StackFileError(rel, `cannot read ${rel}: ${(err as Error).message}`);
      b = null;
    }
    cache.set(rel, b);
    return b;
  };
  // decoded once: several checks read the same large bundles
  const texts = new Map<string, string | null>();
  const read = (rel: string): string | null => {
    if (!texts.has(rel)) texts.set(rel, bytes(rel)?.toString('utf8') ?? null);
    return texts.get(rel)!;
  };

  const dotEnv = memo(() => parseDotEnv(read('.env') ?? ''));

  const composeFiles = memo((): string[] => {
    const fromEnv = dotEnv().COMPOSE_FILE;
    const sepChar = dotEnv().COMPOSE_PATH_SEPARATOR ?? ':';
    const files: string[] = [COMPOSE_FILE];
    const add = (f: string) => {
      const rel = f.replace(/^\.\//, '');
      if (!files.includes(rel)) files.push(rel);
    };
    // compose loads the first override it finds; checking all of them is the safe superset
    for (const f of COMPOSE_OVERRIDE_FILES) if (existsSync(join(dir, f))) add(f);
    if (fromEnv) for (const f of fromEnv.split(sepChar)) if (f.trim()) add(f.trim());
    // any other compose-looking file in the dir may be passed with -f: treat it as loaded
    let names: string[] = [];
    try {
      names = readdirSync(dir).sort();
    } catch {
      /* the engine reports an unreadable dir before any check runs */
    }
    for (const n of names) if (EXTRA_COMPOSE.test(n) && n !== 'compose.yml' && n !== 'compose.yaml') add(n);
    for (const n of ['compose.yml', 'compose.yaml']) if (names.includes(n)) add(n);
    return files;
  });

  const compose = memo((): ComposeProject => {
    const layers: YamlSource[] = [];
    const queue = [...composeFiles()];
    const seen = new Set<string>();
    while (queue.length > 0) {
      const f = queue.shift()!;
      if (seen.has(f)) continue;
      seen.add(f);
      const text = read(f);
      if (text === null) {
        if (f === COMPOSE_FILE || seen.size > composeFiles().length) throw new StackFileError(f, `${f} is missing from the stack dir`);
        continue;
      }
      const layer = parseYamlSource(f, text, { composeTags: true });
      layers.push(layer);
      // `include:` pulls whole compose files in: their services are checked like any other
      queue.push(...includedFiles(layer.data));
    }
    return mergeCompose(layers, dotEnv());
  });

  const openclaw = memo((): YamlSource => {
    const rel = layout.gateway.openclawConfig;
    const text = read(rel);
    if (text === null) throw new StackFileError(rel, `${rel} is missing`);
    try {
      return parseJsonSource(rel, text);
    } catch {
      // OpenClaw accepts JSON5; YAML's flow syntax covers comments-free JSON5 subsets, so
      // strip comments and trailing commas and let the YAML parser try; else fail clearly
      const relaxed = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:"'])\/\/[^\n]*/g, '$1').replace(/,(\s*[}\]])/g, '$1');
      try {
        return parseYamlSource(rel, relaxed);
      } catch (err) {
        throw new StackFileError(rel, `${rel} is neither JSON nor JSON5 oss can read: ${(err as Error).message}`);
      }
    }
  });

  const manifest = memo((): Manifest | null => {
    const text = read(MANIFEST_FILE);
    if (text === null) return null;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new StackFileError(MANIFEST_FILE, `${MANIFEST_FILE} is not valid JSON: ${(err as Error).message}`);
    }
    return normalizeManifest(raw);
  });

  const walk = memo((): StackEntry[] => {
    const out: StackEntry[] = [];
    const visit = (abs: string) => {
      let names: string[];
      try {
        names = readdirSync(abs);
      } catch {
        return;
      }
      for (const n of names) {
        if (n === '.git' || n === 'node_modules') continue;
        const p = join(abs, n);
        let st: Stats;
        try {
          st = lstatSync(p);
        } catch {
          continue;
        }
        out.push({ rel: relative(dir, p).split(sep).join('/'), stat: st });
        if (st.isDirectory()) visit(p);
      }
    };
    visit(dir);
    return out;
  });

  const secretFiles = memo((): SecretFile[] =>
    walk()
      .filter((e) => e.rel.startsWith(`${SECRETS_DIR}/`) && e.rel.split('/').length === 2)
      .map((e) => ({ name: e.rel.slice(SECRETS_DIR.length + 1), rel: e.rel, stat: e.stat })),
  );

  const secretValues = memo((): Map<string, string> => {
    const m = new Map<string, string>();
    for (const f of secretFiles()) {
      if (!f.stat.isFile()) continue;
      const v = (read(f.rel) ?? '').trim();
      if (v) m.set(f.name, v);
    }
    return m;
  });

  return { dir, text: read, bytes, compose, composeFiles, openclaw, manifest, walk, secretFiles, secretValues };
}

/** files named by a compose file's top-level `include:` (short or long syntax) */
function includedFiles(data: unknown): string[] {
  const inc = (data as { include?: unknown } | null)?.include;
  if (!Array.isArray(inc)) return [];
  return inc.flatMap((e) => {
    const p = typeof e === 'string' ? e : (e as { path?: unknown } | null)?.path;
    return (Array.isArray(p) ? p : [p]).filter((x): x is string => typeof x === 'string').map((x) => x.replace(/^\.\//, ''));
  });
}

/** accept {files: {path: sha}} or {files: [{path, sha256}]} */
export function normalizeManifest(raw: unknown): Manifest {
  const files: Record<string, string> = {};
  const f = (raw as { files?: unknown } | null)?.files;
  if (Array.isArray(f)) {
    for (const e of f) {
      const p = (e as { path?: unknown }).path;
      const h = (e as { sha256?: unknown }).sha256;
      if (typeof p === 'string' && typeof h === 'string') files[p] = h;
    }
  } else if (f && typeof f === 'object') {
    for (const [p, v] of Object.entries(f as Record<string, unknown>)) {
      const h = typeof v === 'string' ? v : (v as { sha256?: unknown } | null)?.sha256;
      if (typeof h === 'string') files[p] = h;
    }
  } else {
    throw new StackFileError(MANIFEST_FILE, `${MANIFEST_FILE} has no "files" table`);
  }
  return { files };
}
