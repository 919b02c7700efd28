import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import { createDocumentLoader } from '../../../../src/credentials/contexts/document-loader';
import { IssuerKeyManager, createIssuerKeyManager, type IssuerKeys } from '../../../../src/credentials/keys';
import { KeyEncryptionKey } from '../../../../src/credentials/keys/key-encryption';
import { importPrivateKeyDer } from '../../../../src/credentials/keys/key-material';
import { signDataIntegrity, signVcJwt, verifyCredential } from '../../../../src/credentials/proof';
import { AppError } from '../../../../src/errors';
import { IssuerKeyRepository, type IssuerKeyRecord } from '../../../../src/store/issuer-keys';
import { freshDatabase } from '../../../support/db';
import { sampleCredential } from '../proof/sample-credential';

const KEK = 'test-only-issuer-key-encryption-key-0123456789';
const DID = 'did:web:badges.example.edu:issuers:platform-a';
const NOW = new Date('2026-03-01T12:00:00Z');

// jsonld ships no types; only the expansion check below uses it
const jsonld: { expand(doc: unknown, options: object): Promise<unknown[]> } = require('jsonld');

describe('issuer keys (generation, storage, rotation, publication)', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let manager: IssuerKeyManager;
  const raw = (issuerId: string) => db.connection.collection('issuer_keys').find({ issuerId }).toArray();

  before(async () => {
    db = await freshDatabase();
    manager = createIssuerKeyManager(db.connection, KEK);
  });
  after(() => db.drop());

  it('creates one active Ed25519, RSA 2048 and P-256 key on first use, and reuses them', async () => {
    const keys = await manager.ensureIssuerKeys('issuer-first-use');
    assert.equal(keys.keys.Ed25519.publicKeyMultibase, keys.kid('Ed25519'));
    assert.match(keys.kid('Ed25519'), /^z6Mk/);
    assert.equal(Buffer.from(keys.keys.RSA.publicJwk.n!, 'base64url').length * 8, 2048);
    assert.equal(keys.keys['P-256'].publicJwk.crv, 'P-256');
    // another process (no shared cache) gets the same keys from the database
    const again = await createIssuerKeyManager(db.connection, KEK).ensureIssuerKeys('issuer-first-use');
    assert.deepEqual(again.toJSON(), keys.toJSON());
    assert.equal((await raw('issuer-first-use')).length, 3);
  });

  it('stores private keys only encrypted: no PEM, no JWK d, no raw key bytes', async () => {
    const docs = await raw('issuer-first-use');
    const kek = new KeyEncryptionKey(KEK);
    for (const doc of docs) {
      const text = JSON.stringify(doc);
      assert.ok(!/PRIVATE KEY|"d"\s*:|secretKeyMultibase|privateKeyJwk/.test(text), text);
      assert.equal(doc.publicJwk.d, undefined);
      assert.deepEqual(Object.keys(doc.sealedPrivateKey).sort(), ['ciphertext', 'iv', 'kdf', 'salt', 'tag', 'v']);
      // the plaintext is a PKCS#8 key whose secret parts appear nowhere in the stored document
      const der = kek.open(doc.sealedPrivateKey, JSON.stringify(['issuer-key', doc.issuerId, doc.kid, doc.type]));
      const jwk = importPrivateKeyDer(der).export({ format: 'jwk' });
      for (const secret of [jwk.d, jwk.p, jwk.q].filter(Boolean)) {
        assert.ok(!text.includes(secret!), 'secret JWK member found in storage');
        assert.ok(!text.includes(Buffer.from(secret!, 'base64url').toString('base64')), 'secret bytes found in storage');
      }
      assert.ok(!text.includes(der.toString('base64')));
    }
  });

  it('does not load keys under a different encryption key', async () => {
    await assert.rejects(
      createIssuerKeyManager(db.connection, `${KEK}-wrong`).ensureIssuerKeys('issuer-first-use'),
      (e: unknown) => e instanceof AppError && e.code === 'issuer_key_unseal_failed',
    );
  });

  it('refuses a stored key whose public half was swapped', async () => {
    const issuerId = 'issuer-swapped';
    await manager.ensureIssuerKeys(issuerId);
    const other = await manager.ensureIssuerKeys('issuer-first-use');
    await db.connection.collection('issuer_keys').updateOne({ issuerId, type: 'RSA' }, { $set: { publicJwk: other.keys.RSA.publicJwk } });
    await assert.rejects(
      createIssuerKeyManager(db.connection, KEK).ensureIssuerKeys(issuerId),
      (e: unknown) => e instanceof AppError && e.code === 'issuer_key_mismatch',
    );
  });

  it('shows no private material through JSON.stringify or util.inspect', async () => {
    const keys = await manager.ensureIssuerKeys('issuer-first-use');
    const kek = new KeyEncryptionKey(KEK);
    const secrets = (await raw('issuer-first-use')).flatMap((doc) => {
      const jwk = importPrivateKeyDer(kek.open(doc.sealedPrivateKey, JSON.stringify(['issuer-key', doc.issuerId, doc.kid, doc.type]))).export({
        format: 'jwk',
      });
      return [jwk.d!, jwk.p, jwk.q].filter(Boolean) as string[];
    });
    assert.ok(secrets.length >= 3);
    const views = [
      JSON.stringify(keys),
      JSON.stringify({ nested: { keys } }),
      inspect(keys, { showHidden: true, depth: 20 }),
      inspect({ keys }, { showHidden: true, depth: 20 }),
      String(keys),
      JSON.stringify(manager),
      inspect(manager, { showHidden: true, depth: 20 }),
      JSON.stringify(keys.dataIntegritySigner(`${DID}#${keys.kid('Ed25519')}`)),
      inspect(keys.jwsSigner('RS256'), { showHidden: true, depth: 20 }),
    ];
    for (const view of views) {
      assert.ok(!/PRIVATE KEY/.test(view), view);
      for (const secret of secrets) assert.ok(!view.includes(secret), `private material in: ${view.slice(0, 200)}`);
    }
    assert.match(inspect(keys), /IssuerKeys/);
  });

  it('leaves exactly one active key per type when twenty processes ensure at once', async () => {
    const issuerId = 'issuer-race';
    // separate managers share nothing in memory, like separate processes; only the database arbitrates
    const managers = Array.from({ length: 20 }, () => new IssuerKeyManager(new IssuerKeyRepository(db.connection), KEK));
    const results = await Promise.all(managers.map((m) => m.ensureIssuerKeys(issuerId)));
    const docs = await raw(issuerId);
    for (const type of ['Ed25519', 'RSA', 'P-256'] as const) {
      assert.equal(docs.filter((d) => d.type === type && d.status === 'active').length, 1, type);
      assert.equal(new Set(results.map((k: IssuerKeys) => k.kid(type))).size, 1, `every caller got the same ${type} key`);
    }
    assert.equal(docs.filter((d) => d.status !== 'active').length, 0);
  });

  it('the store itself refuses a second active key of a type (the unique index)', async () => {
    const repository = new IssuerKeyRepository(db.connection);
    await repository.ensureIndexes();
    const [record] = (await raw('issuer-first-use')) as unknown as IssuerKeyRecord[];
    const copy = { ...record!, kid: 'another-kid' } as Omit<IssuerKeyRecord, 'status'>;
    delete (copy as { _id?: unknown })._id;
    assert.equal(await repository.insertActive(copy), false);
    assert.equal((await raw('issuer-first-use')).length, 3);
  });

  it('leaves one active key per type when rotations race', async () => {
    const issuerId = 'issuer-rotation-race';
    await manager.ensureIssuerKeys(issuerId);
    const managers = Array.from({ length: 4 }, () => createIssuerKeyManager(db.connection, KEK));
    await Promise.all([...managers.map((m) => m.rotateIssuerKeys(issuerId)), ...managers.map((m) => m.ensureIssuerKeys(issuerId))]);
    const docs = await raw(issuerId);
    for (const type of ['Ed25519', 'RSA', 'P-256'] as const) {
      assert.equal(docs.filter((d) => d.type === type && d.status === 'active').length, 1, type);
    }
    assert.ok(docs.filter((d) => d.status === 'retired').length >= 3 * 4, 'every replaced key is kept');
  });

  it('deduplicates concurrent first use within one process too', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => manager.ensureIssuerKeys('issuer-same-process')));
    assert.equal(new Set(results).size, 1);
    assert.equal((await raw('issuer-same-process')).length, 3);
  });

  it('refuses an empty issuer id', async () => {
    await assert.rejects(manager.ensureIssuerKeys(''), (e: unknown) => e instanceof AppError && e.code === 'issuer_id_invalid');
  });

  describe('rotation and publication', () => {
    const issuerId = 'platform-a';
    let before: IssuerKeys;
    let after: IssuerKeys;
    let oldProof: object;
    let oldJwts: string[];
    const loader = () => createDocumentLoader({ resolveDid: manager.didResolver((did) => (did === DID ? issuerId : null)) });

    it('signs with the first keys', async () => {
      before = await manager.ensureIssuerKeys(issuerId);
      oldProof = await signDataIntegrity(sampleCredential(DID), { issuerKeys: before, documentLoader: loader(), now: NOW });
      oldJwts = [
        await signVcJwt(sampleCredential(DID), { issuerKeys: before, alg: 'RS256', now: NOW }),
        await signVcJwt(sampleCredential(DID), { issuerKeys: before, alg: 'ES256', now: NOW }),
      ];
    });

    it('rotates to new active keys and keeps the old ones as retired', async () => {
      after = await manager.rotateIssuerKeys(issuerId);
      for (const type of ['Ed25519', 'RSA', 'P-256'] as const) assert.notEqual(after.kid(type), before.kid(type));
      const docs = (await raw(issuerId)) as unknown as IssuerKeyRecord[];
      assert.equal(docs.length, 6);
      assert.deepEqual(
        docs
          .filter((d) => d.status === 'active')
          .map((d) => d.kid)
          .sort(),
        Object.values(after.keys)
          .map((k) => k.kid)
          .sort(),
      );
      assert.deepEqual(
        docs
          .filter((d) => d.status === 'retired')
          .map((d) => d.kid)
          .sort(),
        Object.values(before.keys)
          .map((k) => k.kid)
          .sort(),
      );
      assert.ok(docs.filter((d) => d.status === 'retired').every((d) => d.retiredAt instanceof Date));
      // the cache follows the rotation: the next ensure hands out the new keys
      assert.equal((await manager.ensureIssuerKeys(issuerId)).kid('RSA'), after.kid('RSA'));
    });

    it('still verifies what the retired keys signed', async () => {
      for (const input of [oldProof, ...oldJwts]) {
        const result = await verifyCredential(input, { documentLoader: loader(), now: NOW });
        assert.equal(result.verified, true, JSON.stringify(result.checks.filter((c) => !c.ok)));
      }
    });

    it('signs new credentials with the new kids', async () => {
      const proof: any = await signDataIntegrity(sampleCredential(DID), { issuerKeys: after, documentLoader: loader(), now: NOW });
      assert.equal(proof.proof[0].verificationMethod, `${DID}#${after.kid('Ed25519')}`);
      const jwt = await signVcJwt(sampleCredential(DID), { issuerKeys: after, alg: 'RS256', now: NOW });
      assert.equal(JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()).kid, `${DID}#${after.kid('RSA')}`);
      for (const input of [proof, jwt]) assert.equal((await verifyCredential(input, { documentLoader: loader(), now: NOW })).verified, true);
    });

    it('publishes a JWKS of active and retired RSA and P-256 keys, public members only', async () => {
      const jwks = await manager.issuerJwks(issuerId);
      assert.equal(jwks.keys.length, 4);
      assert.deepEqual(new Set(jwks.keys.slice(0, 2).map((k) => k.kid)), new Set([after.kid('RSA'), after.kid('P-256')]), 'active keys first');
      assert.deepEqual(jwks.keys.map((k) => k.kid).sort(), [before.kid('RSA'), before.kid('P-256'), after.kid('RSA'), after.kid('P-256')].sort());
      for (const key of jwks.keys) {
        assert.equal(key.use, 'sig');
        assert.equal(key.alg, key.kty === 'RSA' ? 'RS256' : 'ES256');
        for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.equal((key as Record<string, unknown>)[secret], undefined);
      }
    });

    it('publishes a DID document with every key as an assertion method', async () => {
      const doc = await manager.issuerDidDocument(issuerId, DID);
      assert.equal(doc.id, DID);
      assert.deepEqual(doc['@context'].slice(0, 2), ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1']);
      assert.equal(doc.verificationMethod.length, 6);
      for (const vm of doc.verificationMethod) {
        assert.equal(vm.controller, DID);
        assert.ok(vm.id.startsWith(`${DID}#`), 'absolute ids: the 1EdTech validator matches them as strings');
        if (vm.type === 'Multikey') assert.match(vm.publicKeyMultibase!, /^z6Mk/);
        else {
          assert.equal(vm.type, 'JsonWebKey');
          assert.equal(vm.publicKeyJwk!.d, undefined);
        }
      }
      assert.deepEqual(
        doc.assertionMethod,
        doc.verificationMethod.map((vm) => vm.id),
      );
      assert.equal(doc.verificationMethod.filter((vm) => vm.type === 'Multikey').length, 2);
    });

    it('publishes a DID document that is valid JSON-LD (no term dropped in safe mode)', async () => {
      const doc = await manager.issuerDidDocument(issuerId, DID);
      const didContext = JSON.parse(readFileSync(path.resolve(__dirname, '../../../fixtures/ob3/vectors/contexts/did-v1.jsonld'), 'utf8'));
      const documentLoader = createDocumentLoader({ extra: new Map([['https://www.w3.org/ns/did/v1', didContext]]) });
      const expanded = await jsonld.expand(doc, { documentLoader, safe: true });
      assert.equal(expanded.length, 1);
      assert.ok(JSON.stringify(expanded).includes('https://w3id.org/security#publicKeyJwk'));
    });

    it('dereferences its DID URLs to verification methods, and knows nothing else', async () => {
      const resolve = manager.didResolver((did) => (did === DID ? issuerId : null));
      const vm: any = await resolve(`${DID}#${after.kid('RSA')}`);
      assert.equal(vm.type, 'JsonWebKey');
      assert.deepEqual(vm.publicKeyJwk, after.keys.RSA.publicJwk);
      assert.ok(Array.isArray(vm['@context']));
      assert.equal(((await resolve(DID)) as any).id, DID);
      assert.equal(await resolve(`${DID}#unknown`), null);
      assert.equal(await resolve('did:web:elsewhere.example'), null);
    });

    it('refuses to publish for something that is not a DID', async () => {
      await assert.rejects(
        manager.issuerDidDocument(issuerId, 'https://badges.example.edu'),
        (e: unknown) => e instanceof AppError && e.code === 'did_invalid',
      );
    });
  });
});
