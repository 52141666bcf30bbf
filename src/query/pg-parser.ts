// The real PostgreSQL grammar: libpg_query compiled to WebAssembly (npm `libpg-query` 18).
// We drive the emscripten factory ourselves instead of the package's index, because the
// index reads libpg-query.wasm from beside itself at import time, and inside a bundle or
// the single executable there is no such file: the bytes are embedded instead.
import { setFlagsFromString } from 'node:v8';
import factory, { type PgQueryWasm } from 'libpg-query/wasm/libpg-query.js';
import wasmBinary from 'libpg-query/wasm/libpg-query.wasm';
import type { ParseResult } from 'libpg-query';

export class SqlSyntaxError extends Error {
  constructor(
    message: string,
    /** 0-based character offset of the error, when the parser reports one */
    readonly position: number | undefined,
  ) {
    super(message);
    this.name = 'SqlSyntaxError';
  }
}

// the WebAssembly global of Node, typed here because lib ES2023 has no DOM declarations
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}

let wasm: PgQueryWasm | undefined;
let loading: Promise<PgQueryWasm> | undefined;

/**
 * Instantiate the parser once per process (~40 ms); later calls are free.
 * A runner process parses one statement and exits, and V8's background tier-up of the
 * 1.7 MB module would hold that exit for ~400 ms: baseline-compiled code (Liftoff) only,
 * unless `tierUp` (long-lived processes, benchmarks).
 */
export async function loadParser(opts: { tierUp?: boolean } = {}): Promise<void> {
  if (wasm) return;
  if (!opts.tierUp && !loading) setFlagsFromString('--liftoff-only');
  // Compiled synchronously on this thread: a one-shot runner should not wait on V8's
  // background compile threads. This emscripten build ignores Module.wasmBinary but
  // honours Module.instantiateWasm.
  loading ??= Promise.resolve().then(() => {
    const compiled = new wasmApi.Module(wasmBinary);
    return factory({
      instantiateWasm(imports, receive) {
        const instance = new wasmApi.Instance(compiled, imports);
        receive(instance);
        return instance.exports;
      },
    });
  });
  wasm = await loading;
}

/** parse SQL into libpg_query's JSON parse tree; throws SqlSyntaxError on bad SQL */
export function parseSql(sql: string): ParseResult {
  if (!wasm) throw new Error('parser not loaded: await loadParser() first');
  const m = wasm;
  const len = m.lengthBytesUTF8(sql) + 1;
  const queryPtr = m._malloc(len);
  let resultPtr = 0;
  try {
    m.stringToUTF8(sql, queryPtr, len);
    resultPtr = m._wasm_parse_query_raw(queryPtr);
    if (!resultPtr) throw new Error('libpg_query: out of memory');
    // struct PgQueryParseResult { char *parse_tree; char *stderr_buffer; PgQueryError *error; }
    const treePtr = m.getValue(resultPtr, 'i32');
    const errorPtr = m.getValue(resultPtr + 8, 'i32');
    if (errorPtr) {
      // struct PgQueryError { char *message; char *funcname; char *filename; int lineno; int cursorpos; ... }
      const msgPtr = m.getValue(errorPtr, 'i32');
      const cursor = m.getValue(errorPtr + 16, 'i32');
      throw new SqlSyntaxError(msgPtr ? m.UTF8ToString(msgPtr) : 'syntax error', cursor > 0 ? cursor - 1 : undefined);
    }
    if (!treePtr) throw new Error('libpg_query: no parse tree');
    return JSON.parse(m.UTF8ToString(treePtr)) as ParseResult;
  } finally {
    m._free(queryPtr);
    if (resultPtr) m._wasm_free_parse_result(resultPtr);
  }
}
