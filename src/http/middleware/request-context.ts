import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino, { type Logger } from 'pino';
import { pinoHttp } from 'pino-http';

/** Query parameters that carry credentials; logs show the path only, never these. */
const SECRET_QUERY = /([?&](s|ltik|id_token|registration_token|JWT|token|code)=)[^&]*/gi;

export const scrubUrl = (url: string | undefined) => (url ?? '').replace(SECRET_QUERY, '$1[redacted]');

/** Paths any log line may carry that would hold a secret (tokens, keys, cookies, id_tokens). */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.id_token',
  '*.JWT',
  '*.privateKeyPem',
  '*.privateKey',
  '*.token',
  '*.access_token',
  '*.client_assertion',
  '*.registration_token',
  '*.secrets',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, destination);
}

/** Request id (taken from X-Request-Id when sane, else new) and one structured log line per request. */
export function requestLogging(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && /^[\w.-]{8,100}$/.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: scrubUrl(req.url) }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    // refusals (4xx) are logged once, with their code, by the error handler
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
  });
}
