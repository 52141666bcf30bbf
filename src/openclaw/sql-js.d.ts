// sql.js ships no types for its inline-wasm build; we use only Database#exec.
declare module 'sql.js/dist/sql-wasm-inline.js';
