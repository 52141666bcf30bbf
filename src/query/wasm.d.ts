// The libpg_query WebAssembly binary, imported as bytes: esbuild embeds it in every
// bundle (loader '.wasm': 'binary') so the CLI, the worker bundle and the single
// executable need no file beside them; vitest reads it from node_modules.
declare module '*.wasm' {
  const bytes: Uint8Array;
  export default bytes;
}

declare module 'libpg-query/wasm/libpg-query.js' {
  const factory: (moduleArg?: {
    instantiateWasm?: (imports: object, receive: (instance: { exports: object }) => void) => object;
  }) => Promise<PgQueryWasm>;
  export default factory;
  export interface PgQueryWasm {
    _malloc(size: number): number;
    _free(ptr: number): void;
    _wasm_parse_query_raw(ptr: number): number;
    _wasm_free_parse_result(ptr: number): void;
    lengthBytesUTF8(s: string): number;
    stringToUTF8(s: string, ptr: number, max: number): void;
    UTF8ToString(ptr: number): string;
    getValue(ptr: number, type: 'i32'): number;
  }
}
