/**
 * Typed errors with stable codes. `expose` decides whether the message may be
 * shown to the person who made the request; the error handler in
 * src/http/middleware/errors.ts is the only place that turns these into responses.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly expose: boolean;
  readonly details?: Record<string, unknown>;

  constructor(code: string, message: string, options: { status?: number; expose?: boolean; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = options.status ?? 500;
    this.expose = options.expose ?? this.status < 500;
    if (options.details) this.details = options.details;
  }
}

export const badRequest = (code: string, message: string, details?: Record<string, unknown>) => new AppError(code, message, { status: 400, details });
export const unauthorized = (code: string, message: string) => new AppError(code, message, { status: 401 });
export const forbidden = (code: string, message: string) => new AppError(code, message, { status: 403 });
export const notFound = (code: string, message: string) => new AppError(code, message, { status: 404 });
