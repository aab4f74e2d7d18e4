/** A refusal with the HTTP status and message the CEX.IO Prime wire protocol uses for it. */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 422 | 429 | 500,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export const AUTH_FAILED = 'Authorization Failed';

export const authFailed = () => new ApiError(401, AUTH_FAILED);
