/** The one error type of the test issuer's helpers, with a stable code and its data. */

export type TestIssuerErrorCode = 'user_code_rejected' | 'unexpected_page' | 'token_refused';

export class TestIssuerError extends Error {
  readonly code: TestIssuerErrorCode;
  readonly data: Record<string, unknown>;

  constructor(code: TestIssuerErrorCode, message: string, data: Record<string, unknown> = {}) {
    super(message);
    this.name = 'TestIssuerError';
    this.code = code;
    this.data = data;
  }
}
