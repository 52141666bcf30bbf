// One error type for everything the user can act on; exit codes are mapped here only.

export const ExitCode = {
  ok: 0,
  /** a check failed (verify) or a command's proof did not hold */
  failed: 1,
  /** could not run: bad input, missing files, environment problems */
  usage: 2,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class OssError extends Error {
  readonly exitCode: ExitCodeValue;
  readonly hint?: string;

  constructor(message: string, opts: { hint?: string; exitCode?: ExitCodeValue; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'OssError';
    this.exitCode = opts.exitCode ?? ExitCode.usage;
    this.hint = opts.hint;
  }
}

/** by shape, not only instanceof: the built CLI's command modules live in a second bundle
 * (dist/commands.cjs) with its own copy of this class */
export function isOssError(err: unknown): err is OssError {
  if (err instanceof OssError) return true;
  const e = err as { name?: unknown; exitCode?: unknown } | null;
  return err instanceof Error && e?.name === 'OssError' && typeof e.exitCode === 'number';
}
