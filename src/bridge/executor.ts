// What the bridge needs from whatever runs a worker: give it a route and the input,
// get back the exit code and capped output, or a timeout. Two implementations:
// local argv (tests, benchmarks, `oss bridge serve --commands`) and Docker exec
// through the socket proxy (the container default).
import type { RouteModel } from '../stack/model';

export interface ExecOutput {
  exitCode: number;
  stdout: Buffer;
  stderr: Buffer;
  /** a stream hit the per-stream cap; the rest of it was discarded */
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
}

export type ExecResult = ({ kind: 'exited' } & ExecOutput) | { kind: 'timeout' };

export interface ExecRequest {
  route: RouteModel;
  /** the route's field value, written to the worker's stdin ("" when the route takes none) */
  input: string;
  timeoutMs: number;
  maxOutputBytes: number;
}

export interface Executor {
  readonly kind: string;
  run(req: ExecRequest): Promise<ExecResult>;
  /** kill whatever is still running (shutdown after the drain period) */
  killAll(): void;
}

/** collects one output stream up to a byte cap, remembering whether it overflowed */
export class CappedBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  truncated = false;

  constructor(private readonly cap: number) {}

  push(chunk: Buffer): void {
    const room = this.cap - this.size;
    if (room <= 0) {
      if (chunk.length > 0) this.truncated = true;
      return;
    }
    if (chunk.length > room) {
      this.chunks.push(chunk.subarray(0, room));
      this.size += room;
      this.truncated = true;
      return;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  value(): Buffer {
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
  }
}
