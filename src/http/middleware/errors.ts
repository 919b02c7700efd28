import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { AppError } from '../../errors';
import { localeFromHeader, translate, translateOptional } from '../i18n';
import { renderPage } from '../views';

/**
 * The one error handler: picks JSON or HTML from Accept, shows the message only when the error says it may
 * (expose), and always gives the request id so a person can quote it to support.
 */
export function errorHandler(logger: Logger) {
  return function handleError(err: unknown, req: Request, res: Response, _next: NextFunction) {
    const appError =
      err instanceof AppError ? err : (bodyParserError(err) ?? new AppError('INTERNAL', 'Unexpected error.', { status: 500, expose: false, cause: err }));
    const requestId = String((req as Request & { id?: unknown }).id ?? '');
    const log = (req as Request & { log?: Logger }).log ?? logger;
    if (appError.status >= 500) log.error({ err, code: appError.code }, 'request failed');
    else log.warn({ code: appError.code, status: appError.status }, appError.message);
    if (res.headersSent) return;
    const retryAfter = appError.details?.retryAfterSeconds;
    if (typeof retryAfter === 'number') res.set('Retry-After', String(retryAfter));
    const message = appError.expose ? appError.message : 'Something went wrong on our side. Please try again later.';
    const wantsHtml = req.accepts(['json', 'html']) === 'html' && !req.path.startsWith('/api/');
    if (!wantsHtml) {
      res.status(appError.status).json({ error: { code: appError.code, message, requestId } });
      return;
    }
    const locale = res.locals.session?.context.locale ?? localeFromHeader(req.headers['accept-language']);
    const localized = appError.expose ? translateOptional(locale, `error.${appError.code}`) : null;
    renderPage(
      res,
      'error',
      // an untranslated message keeps its own language tag, so screen readers pronounce it right
      {
        title: translate(locale, 'error.title'),
        locale,
        code: appError.code,
        message: localized ?? message,
        messageLang: localized || locale === 'en' ? null : 'en',
        requestId,
      },
      appError.status,
    );
  };
}

/** What the body parsers refuse is the sender's error (4xx), never ours: malformed JSON, a bad charset, too large. */
function bodyParserError(err: unknown): AppError | null {
  const { type, status } = (err ?? {}) as { type?: unknown; status?: unknown };
  if (typeof type !== 'string' || typeof status !== 'number' || status < 400 || status >= 500) return null;
  if (type === 'entity.too.large') return new AppError('REQUEST_TOO_LARGE', 'The request is too large.', { status: 413 });
  if (type === 'entity.parse.failed') return new AppError('BODY_MALFORMED', 'The request body is not well-formed (JSON or form data).', { status: 400 });
  return new AppError('BODY_UNREADABLE', `The request body cannot be read (${type}).`, { status, cause: err });
}
