import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { KeyEncryptionKey } from '../../../../src/credentials/keys/key-encryption';
import { AppError } from '../../../../src/errors';

const SECRET = 'a-test-only-key-encryption-key-of-more-than-32-chars';

describe('issuer key encryption at rest (AES-256-GCM, HKDF-SHA256)', () => {
  const kek = new KeyEncryptionKey(SECRET);
  const plaintext = Buffer.from('-----BEGIN PRIVATE KEY----- pretend key bytes');

  it('round-trips, with a fresh salt and IV each time', () => {
    const a = kek.seal(plaintext, 'record-1');
    const b = kek.seal(plaintext, 'record-1');
    assert.notEqual(a.salt, b.salt);
    assert.notEqual(a.iv, b.iv);
    assert.notEqual(a.ciphertext, b.ciphertext);
    assert.deepEqual(kek.open(a, 'record-1'), plaintext);
    assert.ok(!JSON.stringify(a).includes('PRIVATE'));
  });

  it('does not open under another KEK, on another record, or after tampering', () => {
    const sealed = kek.seal(plaintext, 'record-1');
    const unseal = (fn: () => unknown) => assert.throws(fn, (e: unknown) => e instanceof AppError && e.code === 'issuer_key_unseal_failed');
    unseal(() => new KeyEncryptionKey(`${SECRET}-other`).open(sealed, 'record-1'));
    unseal(() => kek.open(sealed, 'record-2'));
    const flipped = Buffer.from(sealed.ciphertext, 'base64');
    flipped[0]! ^= 1;
    unseal(() => kek.open({ ...sealed, ciphertext: flipped.toString('base64') }, 'record-1'));
  });

  it('refuses a short secret and never shows the secret', () => {
    assert.throws(
      () => new KeyEncryptionKey('too-short'),
      (e: unknown) => e instanceof AppError && e.code === 'issuer_kek_invalid',
    );
    assert.ok(!JSON.stringify({ kek }).includes(SECRET));
    assert.ok(!inspect(kek, { showHidden: true, depth: 10 }).includes(SECRET));
  });
});
