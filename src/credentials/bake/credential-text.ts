import { AppError } from '../../errors';

/** A credential as it is baked: the JSON object (embedded proof) or the compact JWS (VC-JWT). */
export type BakeableCredential = Record<string, unknown> | string;

export type UnbakeResult = { found: true; credential: Record<string, unknown> | string } | { found: false; reason: string };

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return isPlainObject(value) ? value : null;
  } catch {
    return null;
  }
}

function invalid(message: string, cause?: unknown): AppError {
  return new AppError('BAKE_CREDENTIAL_INVALID', message, { status: 400, cause });
}

/**
 * The text to embed. Objects become JSON; a string must be a compact JWS or the JSON text of an object
 * (kept as written, bar surrounding white space, so a caller can bake exactly what it signed).
 */
export function credentialToText(credential: BakeableCredential): string {
  if (typeof credential === 'string') {
    if (COMPACT_JWS.test(credential)) return credential;
    const json = credential.trim();
    if (json.startsWith('{') && parseObject(json)) return json;
    throw invalid('A credential given as text must be a compact JWS or a JSON object.');
  }
  if (!isPlainObject(credential)) throw invalid('The credential must be a JSON object or a compact JWS.');
  try {
    return JSON.stringify(credential);
  } catch (cause) {
    throw invalid('The credential cannot be written as JSON.', cause);
  }
}

/** What a baked image carried: JSON (text starting with "{") is parsed, a compact JWS is returned as is. */
export function textToCredential(text: string): UnbakeResult {
  const trimmed = text.trim();
  if (trimmed === '') return { found: false, reason: 'The embedded credential is empty.' };
  if (trimmed.startsWith('{')) {
    const credential = parseObject(trimmed);
    return credential ? { found: true, credential } : { found: false, reason: 'The embedded credential is not valid JSON.' };
  }
  if (COMPACT_JWS.test(trimmed)) return { found: true, credential: trimmed };
  return { found: false, reason: 'The embedded text is neither a JSON credential nor a compact JWS.' };
}
