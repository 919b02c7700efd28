import express, { type RequestHandler } from 'express';
import { AppError } from '../../errors';
import { jsonTextDepth } from '../../json-shape';

/** Deeper than any form or API body of the tool nests; what recursion later (validation, storage) can take. */
export const MAX_BODY_DEPTH = 32;

/** express.json, refusing (400) a body nested deeper than MAX_BODY_DEPTH before it is parsed. */
export function jsonBody(options: { limit: string }): RequestHandler {
  return express.json({
    limit: options.limit,
    verify: (_req, _res, buf) => {
      if (jsonTextDepth(buf.toString('utf8'), MAX_BODY_DEPTH) > MAX_BODY_DEPTH)
        throw new AppError('BODY_TOO_DEEP', `The request body is nested deeper than ${MAX_BODY_DEPTH} levels.`, { status: 400 });
    },
  });
}
