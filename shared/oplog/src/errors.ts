/**
 * Errors raised by the op-log core. Callers tell them apart by `code`, never
 * by message text; `data` carries what explains the failure.
 */

export type OplogErrorCode =
  | 'invalid_op'
  | 'not_found'
  | 'ambiguous_prefix'
  | 'invalid_value'
  | 'invalid_query'
  | 'store_mismatch'
  | 'clock_conflict';

export class OplogError extends Error {
  constructor(
    readonly code: OplogErrorCode,
    message: string,
    readonly data: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'OplogError';
  }
}
