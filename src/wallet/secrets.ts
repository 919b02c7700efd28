import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';

/**
 * Secrets of the wallet flow. Only hashes are stored: a database dump yields no offer address, pre-authorized
 * code, transaction code, access token or c_nonce.
 *
 * The pre-authorized code is derived from the offer id (HMAC keyed by the offer id), so the offer document can
 * hand the code out while storing neither: whoever holds the offer URI (the QR code) holds the code anyway; that
 * is what the offer is.
 */
export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

export const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('base64url');

export const preAuthorizedCodeOf = (offerId: string) => createHmac('sha256', offerId).update('pre-authorized_code').digest('base64url');

/** A numeric transaction code of `length` digits, uniformly random. */
export const numericCode = (length: number) => Array.from({ length }, () => String(randomInt(10))).join('');

/** Shape check before any lookup: our random values are 43 base64url characters. */
export const isToken = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9_-]{43}$/.test(v);
