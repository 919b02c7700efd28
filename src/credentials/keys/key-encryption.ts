import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { AppError } from '../../errors';
import type { SealedPrivateKey } from '../../store/issuer-keys';

const INFO = Buffer.from('moodle-ob3-badges/issuer-private-key/v1');
const MIN_SECRET_LENGTH = 32;

/**
 * Seals issuer private keys with AES-256-GCM. Each record gets its own random HKDF salt, so every record is
 * encrypted under a different derived key; the additional data binds a ciphertext to its record (issuer, kid,
 * type), so a sealed key copied onto another record does not open.
 */
export class KeyEncryptionKey {
  readonly #secret: Buffer;

  constructor(secret: string) {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
      throw new AppError('issuer_kek_invalid', `ISSUER_KEY_ENCRYPTION_KEY must be at least ${MIN_SECRET_LENGTH} characters`);
    }
    this.#secret = Buffer.from(secret, 'utf8');
  }

  #derive(salt: Buffer): Buffer {
    return Buffer.from(hkdfSync('sha256', this.#secret, salt, INFO, 32));
  }

  seal(plaintext: Buffer, additionalData: string): SealedPrivateKey {
    const salt = randomBytes(16);
    const iv = randomBytes(12);
    const key = this.#derive(salt);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(additionalData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    key.fill(0);
    return {
      v: 1,
      kdf: 'hkdf-sha256',
      salt: salt.toString('base64'),
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      ciphertext: ciphertext.toString('base64'),
    };
  }

  /** The plaintext; throws when the KEK is wrong, the record was tampered with or the ciphertext moved. */
  open(sealed: SealedPrivateKey, additionalData: string): Buffer {
    if (sealed?.v !== 1 || sealed.kdf !== 'hkdf-sha256') {
      throw new AppError('issuer_key_sealed_format', 'Unknown sealed private key format');
    }
    const key = this.#derive(Buffer.from(sealed.salt, 'base64'));
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
      decipher.setAAD(Buffer.from(additionalData, 'utf8'));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
    } catch (err) {
      throw new AppError('issuer_key_unseal_failed', 'An issuer private key could not be decrypted (wrong ISSUER_KEY_ENCRYPTION_KEY?)', {
        cause: err,
      });
    } finally {
      key.fill(0);
    }
  }

  toJSON() {
    return { kind: 'KeyEncryptionKey' };
  }

  [inspect.custom]() {
    return 'KeyEncryptionKey { [secret] }';
  }
}
