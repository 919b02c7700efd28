import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Authenticated encryption of secrets at rest (AES-256-GCM). The key is derived from the configured secret
 * with HKDF and a purpose label, so one configured secret never encrypts two kinds of data under one key.
 */
export interface Sealed {
  iv: string;
  tag: string;
  data: string;
}

const keys = new Map<string, Buffer>();

function keyFor(secret: string, purpose: string): Buffer {
  const id = `${purpose}\u0000${secret}`;
  let key = keys.get(id);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', secret, 'moodle-ob3-badges', purpose, 32));
    keys.set(id, key);
  }
  return key;
}

export function seal(plain: string, secret: string, purpose: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(secret, purpose), iv);
  cipher.setAAD(Buffer.from(purpose));
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

/** Throws when the secret is wrong or the data was altered. */
export function unseal(sealed: Sealed, secret: string, purpose: string): string {
  const decipher = createDecipheriv('aes-256-gcm', keyFor(secret, purpose), Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(Buffer.from(purpose));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
}
