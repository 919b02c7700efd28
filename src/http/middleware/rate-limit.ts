import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '../../errors';

/** How many client addresses a limiter remembers; past it, the longest-idle ones are forgotten first. */
const MAX_CLIENTS = 50_000;

/**
 * A token bucket per client address: `perMinute` requests a minute, in bursts of up to `perMinute`. In memory,
 * per process (each instance behind a load balancer limits on its own), bounded in size.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** 0 when the request may go; else the seconds until it may (for Retry-After). */
  take(client: string): number {
    const now = this.now();
    const ratePerMs = this.perMinute / 60_000;
    const bucket = this.#buckets.get(client);
    const tokens = bucket ? Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * ratePerMs) : this.perMinute;
    // re-insert, so the map's order is least recently seen first
    this.#buckets.delete(client);
    if (tokens < 1) {
      this.#buckets.set(client, { tokens, at: now });
      return Math.max(1, Math.ceil((1 - tokens) / ratePerMs / 1000));
    }
    this.#buckets.set(client, { tokens: tokens - 1, at: now });
    if (this.#buckets.size > MAX_CLIENTS) this.#buckets.delete(this.#buckets.keys().next().value!);
    return 0;
  }

  get clients(): number {
    return this.#buckets.size;
  }
}

export type RateLimitReply = (res: Response, retryAfterSeconds: number) => void;

/**
 * Middleware limiting each client address (req.ip, which honours the app's trust proxy setting). A refused
 * request gets 429 with Retry-After, through the app's error handler unless `reply` answers in its own form.
 */
export function rateLimit(perMinute: number, options: { now?: () => number; reply?: RateLimitReply } = {}): RequestHandler {
  if (perMinute <= 0) return (_req, _res, next) => next();
  const limiter = new RateLimiter(perMinute, options.now);
  return (req: Request, res: Response, next) => {
    if (req.method === 'OPTIONS') return next(); // CORS preflights cost nothing and carry no request
    const wait = limiter.take(req.ip ?? req.socket.remoteAddress ?? 'unknown');
    if (!wait) return next();
    res.set('Retry-After', String(wait));
    if (options.reply) return options.reply(res, wait);
    next(new AppError('RATE_LIMITED', `Too many requests from your address; try again in ${wait} s.`, { status: 429, details: { retryAfterSeconds: wait } }));
  };
}
