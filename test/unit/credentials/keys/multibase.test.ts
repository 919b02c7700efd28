import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { base58btcDecode, base58btcEncode, ed25519PublicKeyFromMultibase, ed25519PublicKeyMultibase } from '../../../../src/credentials/keys/multibase';

describe('Multikey (base58-btc) encoding of Ed25519 public keys', () => {
  it('encodes the OB 3.0 Implementation Guide key as published', () => {
    const raw = Buffer.from('4bdeafde2ea8beefadd8c699b5c7e0704cf51154d52e17b20b71337ca04cc5a5', 'hex');
    assert.equal(ed25519PublicKeyMultibase(raw), 'z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi');
    assert.deepEqual(Buffer.from(ed25519PublicKeyFromMultibase('z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi')!), raw);
  });

  it('round-trips arbitrary bytes, leading zeros included', () => {
    for (const bytes of [Uint8Array.of(), Uint8Array.of(0), Uint8Array.of(0, 0, 1), randomBytes(34), Uint8Array.of(0, ...randomBytes(40))]) {
      assert.deepEqual(base58btcDecode(base58btcEncode(bytes)), Uint8Array.from(bytes));
    }
  });

  it('rejects what is not an Ed25519 Multikey', () => {
    for (const bad of ['6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi', 'z0OIl', 'z6MkjZRsdasZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi', 'z']) {
      assert.equal(ed25519PublicKeyFromMultibase(bad), null, bad);
    }
  });
});
