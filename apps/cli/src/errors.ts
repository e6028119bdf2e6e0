/**
 * The CLI's one error type. Scripts act on the exit code, so every failure is
 * raised as a CliError whose `code` fixes the exit status; `data` carries what
 * explains it (the hub's error code, the id that matched twice).
 */

export type CliErrorCode =
  | 'usage'
  | 'not_found'
  | 'ambiguous_prefix'
  | 'auth'
  | 'unreachable'
  | 'hub_error';

/** Exit statuses, as documented in `heph --help`. */
export const EXIT = {
  ok: 0,
  usage: 1,
  notFound: 2,
  auth: 3,
  unreachable: 4,
} as const;

const EXIT_BY_CODE: Record<CliErrorCode, number> = {
  usage: EXIT.usage,
  not_found: EXIT.notFound,
  ambiguous_prefix: EXIT.notFound,
  auth: EXIT.auth,
  unreachable: EXIT.unreachable,
  hub_error: EXIT.usage,
};

export class CliError extends Error {
  constructor(
    readonly code: CliErrorCode,
    message: string,
    readonly data: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'CliError';
  }

  get exitCode(): number {
    return EXIT_BY_CODE[this.code];
  }
}

/** The message every auth failure ends with, so a person knows the way out. */
export function loginHint(hubUrl: string): string {
  return `run \`heph auth login --hub-url ${hubUrl}\``;
}
