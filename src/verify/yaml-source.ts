// A parsed YAML (or JSON) file that remembers where each key came from, so findings can
// name a line. Compose's `!reset` / `!override` tags are kept as markers for the merge.
import { LineCounter, parseDocument, visit, Scalar, YAMLMap, isAlias, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';

export const RESET = '\u0000oss-reset';
export const OVERRIDE = '\u0000oss-override';

export type KeyPath = (string | number)[];

export interface YamlSource {
  /** path relative to the stack dir */
  file: string;
  data: unknown;
  /** 1-based line of the deepest existing node on `path` (undefined when none) */
  lineOf(path: KeyPath): number | undefined;
}

export class StackFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'StackFileError';
  }
}

/** plain JSON: JSON.parse for the data; the YAML parser runs only if a finding needs a line */
export function parseJsonSource(file: string, text: string): YamlSource {
  const data = JSON.parse(text) as unknown;
  let src: YamlSource | undefined;
  return {
    file,
    data,
    lineOf: (path) => (src ??= parseYamlSource(file, text)).lineOf(path),
  };
}

export function parseYamlSource(file: string, text: string, opts: { composeTags?: boolean } = {}): YamlSource {
  const lc = new LineCounter();
  // duplicate keys are an error, as in compose itself
  const doc = parseDocument(text, { lineCounter: lc, merge: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const line = err.linePos?.[0]?.line ?? (err.pos?.[0] !== undefined ? lc.linePos(err.pos[0]).line : undefined);
    throw new StackFileError(file, `${file} is not valid ${/\.json5?$/.test(file) ? 'JSON' : 'YAML'}${line ? ` (line ${line})` : ''}: ${err.message.split('\n')[0]}`, line);
  }
  if (opts.composeTags) markComposeTags(doc);
  const data = doc.toJS({ maxAliasCount: 1000 }) as unknown;
  return {
    file,
    data,
    lineOf: (path) => lineOf(doc, lc, path),
  };
}

function markComposeTags(doc: Document): void {
  visit(doc, {
    Node(_key, node) {
      if (node.tag === '!reset') return new Scalar(RESET);
      if (node.tag === '!override') {
        node.tag = undefined;
        const m = new YAMLMap();
        m.items.push(doc.createPair(OVERRIDE, node));
        return m;
      }
      return undefined;
    },
  });
}

function keyOf(k: unknown): string {
  return isScalar(k) ? String(k.value) : String(k);
}

type MapNode = { items: { key: unknown; value: unknown }[] };

/** a key of a mapping, looking through `<<: *anchor` merge keys like YAML merge does */
function findPair(doc: Document, map: MapNode, key: string, depth = 0): { key: unknown; value: unknown } | undefined {
  const own = map.items.find((p) => keyOf(p.key) === key);
  if (own || depth > 8) return own;
  for (const p of map.items) {
    if (!/^(Symbol\()?<<\)?$/.test(keyOf(p.key))) continue;
    const sources = isSeq(p.value) ? p.value.items : [p.value];
    for (const src of sources) {
      const target = isAlias(src) ? src.resolve(doc) : src;
      if (isMap(target)) {
        const hit = findPair(doc, target as MapNode, key, depth + 1);
        if (hit) return hit;
      }
    }
  }
  return undefined;
}

function lineOf(doc: Document, lc: LineCounter, path: KeyPath): number | undefined {
  let node: Node | null | undefined = doc.contents as Node | null;
  let offset: number | undefined = node?.range?.[0];
  for (const seg of path) {
    if (isAlias(node)) node = node.resolve(doc) as Node | undefined;
    if (isMap(node)) {
      const pair = findPair(doc, node, String(seg));
      if (!pair) break;
      offset = (pair.key as Node | null)?.range?.[0] ?? (pair.value as Node | null)?.range?.[0] ?? offset;
      node = pair.value as Node | null;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return offset === undefined ? undefined : lc.linePos(offset).line;
}
