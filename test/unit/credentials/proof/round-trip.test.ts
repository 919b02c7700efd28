import assert from 'node:assert/strict';
import { decodeProtectedHeader, decodeJwt, importJWK, jwtVerify } from 'jose';
import { AppError } from '../../../../src/errors';
import { signDataIntegrity, signVcJwt, verifyCredential, type VerificationResult } from '../../../../src/credentials/proof';
import { ephemeralIssuer, ISSUER_DID } from './issuer-fixture';
import { sampleCredential } from './sample-credential';

const NOW = new Date('2026-03-01T12:00:00Z');
const failed = (r: VerificationResult) => r.checks.filter((c) => !c.ok).map((c) => c.check);

/** Re-encodes a JWT payload, keeping the original header and signature: what an attacker editing a token does. */
function tamperJwt(token: string, edit: (payload: any) => void): string {
  const [h, p, s] = token.split('.');
  const payload = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8'));
  edit(payload);
  return `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
}

const TAMPERINGS: Array<[string, (c: any) => void]> = [
  ['achievement name', (c) => (c.credentialSubject.achievement.name = 'Advanced Databases')],
  ['result value', (c) => (c.credentialSubject.result[0].value = '99')],
  ['validFrom date', (c) => (c.validFrom = '2024-01-01T00:00:00Z')],
  ['issuer id', (c) => (c.issuer.id = 'did:web:evil.example')],
  ['image id', (c) => (c.credentialSubject.achievement.image.id = 'https://evil.example/badge.png')],
];

describe('proofs: sign and verify round trips', () => {
  let issuer: Awaited<ReturnType<typeof ephemeralIssuer>>;
  before(async () => {
    issuer = await ephemeralIssuer();
  });
  const options = () => ({ documentLoader: issuer.documentLoader, now: NOW });

  describe('Data Integrity (eddsa-rdfc-2022)', () => {
    let signed: Awaited<ReturnType<typeof signDataIntegrity<Record<string, any>>>>;
    before(async () => {
      signed = await signDataIntegrity(sampleCredential(ISSUER_DID), { issuerKeys: issuer.keys, documentLoader: issuer.documentLoader, now: NOW });
    });

    it('adds one DataIntegrityProof in an array, made now with the issuer key as assertion method', () => {
      assert.ok(Array.isArray(signed.proof));
      assert.equal(signed.proof.length, 1);
      const [proof] = signed.proof as any[];
      assert.equal(proof.type, 'DataIntegrityProof');
      assert.equal(proof.cryptosuite, 'eddsa-rdfc-2022');
      assert.equal(proof.proofPurpose, 'assertionMethod');
      assert.equal(proof.verificationMethod, `${ISSUER_DID}#${issuer.keys.kid('Ed25519')}`);
      assert.equal(proof.created, '2026-03-01T12:00:00Z');
      assert.match(proof.proofValue, /^z[1-9A-HJ-NP-Za-km-z]+$/);
    });

    it('verifies, with every check passing', async () => {
      const result = await verifyCredential(signed, options());
      assert.equal(result.format, 'data-integrity');
      assert.deepEqual(failed(result), []);
      assert.equal(result.verified, true);
      assert.deepEqual(result.checks.map((c) => c.check).sort(), ['expiry', 'issuerKey', 'notYetValid', 'proof', 'signature', 'status']);
    });

    it('verifies from its JSON text too', async () => {
      assert.equal((await verifyCredential(JSON.stringify(signed), options())).verified, true);
    });

    it('leaves the caller’s credential untouched', async () => {
      const input = sampleCredential(ISSUER_DID);
      const before = structuredClone(input);
      await signDataIntegrity(input, { issuerKeys: issuer.keys, documentLoader: issuer.documentLoader, now: NOW });
      assert.deepEqual(input, before);
    });

    for (const [what, edit] of TAMPERINGS) {
      it(`fails when the ${what} is changed after signing`, async () => {
        const tampered = structuredClone(signed);
        edit(tampered);
        const result = await verifyCredential(tampered, options());
        assert.equal(result.verified, false);
        assert.ok(
          failed(result).some((c) => c === 'signature' || c === 'issuerKey'),
          JSON.stringify(result.checks),
        );
      });
    }

    it('fails a proof made by a key the issuer does not publish', async () => {
      const stranger = await ephemeralIssuer();
      const forged = await signDataIntegrity(sampleCredential(ISSUER_DID), {
        issuerKeys: stranger.keys,
        documentLoader: issuer.documentLoader,
        now: NOW,
      });
      const result = await verifyCredential(forged, options());
      assert.equal(result.verified, false);
      assert.ok(failed(result).includes('issuerKey'));
    });

    it('refuses (throws) to sign a credential without an issuer', async () => {
      const { issuer: _drop, ...noIssuer } = sampleCredential(ISSUER_DID);
      await assert.rejects(
        signDataIntegrity(noIssuer, { issuerKeys: issuer.keys, documentLoader: issuer.documentLoader }),
        (err: unknown) => err instanceof AppError && err.code === 'credential_issuer_missing',
      );
    });

    it('refuses (throws) to sign a credential using terms no context defines', async () => {
      await assert.rejects(
        signDataIntegrity(sampleCredential(ISSUER_DID, { favouriteColour: 'blue' }), { issuerKeys: issuer.keys, documentLoader: issuer.documentLoader }),
        (err: unknown) => err instanceof AppError && err.code === 'credential_sign_failed',
      );
    });
  });

  for (const alg of ['RS256', 'ES256'] as const) {
    describe(`VC-JWT ${alg}`, () => {
      let token: string;
      before(async () => {
        token = await signVcJwt(sampleCredential(ISSUER_DID), { issuerKeys: issuer.keys, alg, now: NOW });
      });

      it('has the OB 3.0 §8.2 header and registered claims around the credential itself', () => {
        const header = decodeProtectedHeader(token);
        const kid = issuer.keys.kid(alg === 'RS256' ? 'RSA' : 'P-256');
        assert.deepEqual(header, { alg, kid: `${ISSUER_DID}#${kid}`, typ: 'JWT' });
        const payload = decodeJwt(token) as Record<string, any>;
        assert.equal(payload.iss, ISSUER_DID);
        assert.equal(payload.sub, 'did:example:learner-42');
        assert.equal(payload.jti, 'urn:uuid:2f1d8c36-6d1a-4c53-9f1e-0d0c2b8c9a11');
        assert.equal(payload.nbf, Date.parse('2025-01-01T00:00:00Z') / 1000);
        assert.equal(payload.exp, Date.parse('2035-01-01T00:00:00Z') / 1000);
        assert.equal(payload.iat, undefined, '§8.2.4.2 maps no claim to iat');
        assert.equal(payload.vc, undefined, 'the payload is the credential, not a vc claim');
        assert.equal(payload.credentialSubject.achievement.name, 'Introduction to Databases');
        assert.deepEqual(payload['@context'], sampleCredential(ISSUER_DID)['@context']);
      });

      it('verifies, and returns the credential without the JWT claims', async () => {
        const result = await verifyCredential(token, options());
        assert.deepEqual(failed(result), []);
        assert.equal(result.verified, true);
        assert.equal(result.format, 'vc-jwt');
        assert.deepEqual(result.credential, sampleCredential(ISSUER_DID));
      });

      for (const [what, edit] of TAMPERINGS) {
        it(`fails when the ${what} is changed after signing`, async () => {
          const result = await verifyCredential(tamperJwt(token, edit), options());
          assert.equal(result.verified, false);
          assert.ok(
            failed(result).some((c) => c === 'signature' || c === 'issuerKey'),
            JSON.stringify(result.checks),
          );
        });
      }

      it('reports a changed registered claim as a claims mismatch as well as a bad signature', async () => {
        const result = await verifyCredential(
          tamperJwt(token, (p) => (p.jti = 'urn:uuid:other')),
          options(),
        );
        assert.ok(failed(result).includes('jwtClaims'));
        assert.ok(failed(result).includes('signature'));
      });
    });
  }

  describe('VC-JWT subject and key details', () => {
    const idLess = () => {
      const credential = sampleCredential(ISSUER_DID);
      delete credential.credentialSubject.id;
      credential.credentialSubject.identifier = [
        { type: 'IdentityObject', identityType: 'emailAddress', hashed: true, identityHash: 'sha256$0c9f4d3e', salt: 'pepper' },
      ];
      return credential;
    };

    it('gives a subject without id no sub (§8.2.4.2 maps sub to credentialSubject.id only), and verifies', async () => {
      const token = await signVcJwt(idLess(), { issuerKeys: issuer.keys, alg: 'RS256', now: NOW });
      assert.equal('sub' in decodeJwt(token), false);
      assert.equal((await verifyCredential(token, options())).verified, true);
    });

    it('passes jose’s own JWT checks with the issuer key from the DID document: typ, iss, sub = credentialSubject.id, nbf, exp', async () => {
      for (const credential of [sampleCredential(ISSUER_DID), idLess()]) {
        const token = await signVcJwt(credential, { issuerKeys: issuer.keys, alg: 'ES256', now: NOW });
        const { kid } = decodeProtectedHeader(token);
        const method = (await issuer.documentLoader(kid!)).document as any;
        const key = await importJWK(method.publicKeyJwk, 'ES256');
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER_DID, typ: 'JWT', currentDate: NOW, requiredClaims: ['iss', 'jti', 'nbf'] });
        assert.equal(payload.sub, credential.credentialSubject.id);
        assert.equal(payload.jti, credential.id);
      }
    });

    it('still verifies a token of an earlier version that put the identifier hash in sub, and no other stray sub', async () => {
      const token = await signVcJwt(idLess(), { issuerKeys: issuer.keys, alg: 'RS256', now: NOW });
      const reSign = async (sub: string) => {
        const [h, p] = token.split('.');
        const payload = { ...JSON.parse(Buffer.from(p!, 'base64url').toString()), sub };
        const input = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
        return `${input}.${Buffer.from(await issuer.keys.jwsSigner('RS256').sign(Buffer.from(input))).toString('base64url')}`;
      };
      assert.equal((await verifyCredential(await reSign('sha256$0c9f4d3e'), options())).verified, true);
      const stray = await verifyCredential(await reSign('did:example:someone-else'), options());
      assert.deepEqual(failed(stray), ['jwtClaims']);
    });

    it('fails a token whose kid names the issuer’s key but which another key signed', async () => {
      const stranger = await ephemeralIssuer();
      const forged = await signVcJwt(sampleCredential(ISSUER_DID), { issuerKeys: stranger.keys, alg: 'RS256', now: NOW });
      const [, p, s] = forged.split('.');
      const header = { alg: 'RS256', kid: `${ISSUER_DID}#${issuer.keys.kid('RSA')}`, typ: 'JWT' };
      const result = await verifyCredential(`${Buffer.from(JSON.stringify(header)).toString('base64url')}.${p}.${s}`, options());
      assert.equal(result.verified, false);
      assert.ok(failed(result).includes('signature'));
    });

    it('fails a token signed by a key outside the issuer’s DID document', async () => {
      const stranger = await ephemeralIssuer();
      const forged = await signVcJwt(sampleCredential(ISSUER_DID), { issuerKeys: stranger.keys, alg: 'ES256', now: NOW });
      const result = await verifyCredential(forged, options());
      assert.equal(result.verified, false);
      assert.ok(failed(result).includes('issuerKey'));
    });

    it('refuses alg none, HS256 and EdDSA', async () => {
      const body = Buffer.from(JSON.stringify({ iss: ISSUER_DID })).toString('base64url');
      for (const alg of ['none', 'HS256', 'EdDSA']) {
        const header = Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url');
        const result = await verifyCredential(`${header}.${body}.c2ln`, options());
        assert.equal(result.verified, false);
        assert.deepEqual(failed(result), ['proof'], alg);
      }
    });

    it('uses resolveIssuerKey for keys that are not DID URLs', async () => {
      const token = await signVcJwt(sampleCredential(ISSUER_DID), { issuerKeys: issuer.keys, alg: 'RS256', now: NOW });
      const seen: unknown[] = [];
      const result = await verifyCredential(token, {
        ...options(),
        resolveIssuerKey: async (ref) => {
          seen.push(ref);
          return { ...issuer.keys.keys.RSA.publicJwk };
        },
      });
      assert.equal(result.verified, true);
      assert.deepEqual(seen, [{ alg: 'RS256', kid: `${ISSUER_DID}#${issuer.keys.kid('RSA')}`, issuer: ISSUER_DID }]);
    });

    it('refuses (throws) to sign without an id or validFrom, which jti and nbf need', async () => {
      const { id: _id, ...noId } = sampleCredential(ISSUER_DID);
      await assert.rejects(signVcJwt(noId, { issuerKeys: issuer.keys, alg: 'RS256' }), (e: unknown) => e instanceof AppError);
      const { validFrom: _vf, ...noValidFrom } = sampleCredential(ISSUER_DID);
      await assert.rejects(signVcJwt(noValidFrom, { issuerKeys: issuer.keys, alg: 'ES256' }), (e: unknown) => e instanceof AppError);
    });
  });

  describe('validity period and status', () => {
    let signed: object;
    let token: string;
    before(async () => {
      const credential = sampleCredential(ISSUER_DID, {
        credentialStatus: {
          id: 'https://badges.example.edu/status/1#5',
          type: 'BitstringStatusListEntry',
          statusPurpose: 'revocation',
          statusListIndex: '5',
          statusListCredential: 'https://badges.example.edu/status/1',
        },
      });
      signed = await signDataIntegrity(credential, { issuerKeys: issuer.keys, documentLoader: issuer.documentLoader, now: NOW });
      token = await signVcJwt(credential, { issuerKeys: issuer.keys, alg: 'RS256', now: NOW });
    });
    const notRevoked = async () => ({ revoked: false, suspended: false });

    it('checks validUntil and validFrom against now, for both formats', async () => {
      for (const input of [signed, token]) {
        const expired = await verifyCredential(input, { ...options(), now: new Date('2035-01-02T00:00:00Z'), checkStatus: notRevoked });
        assert.deepEqual(failed(expired), ['expiry']);
        const early = await verifyCredential(input, { ...options(), now: new Date('2024-12-31T00:00:00Z'), checkStatus: notRevoked });
        assert.deepEqual(failed(early), ['notYetValid']);
        const inside = await verifyCredential(input, { ...options(), checkStatus: notRevoked });
        assert.equal(inside.verified, true, JSON.stringify(inside.checks));
      }
    });

    it('reports revoked and suspended credentials, and a status it could not check', async () => {
      for (const input of [signed, token]) {
        const revoked = await verifyCredential(input, { ...options(), checkStatus: async () => ({ revoked: true, suspended: false }) });
        assert.deepEqual(failed(revoked), ['status']);
        const suspended = await verifyCredential(input, { ...options(), checkStatus: async () => ({ revoked: false, suspended: true }) });
        assert.deepEqual(failed(suspended), ['status']);
        assert.deepEqual(failed(await verifyCredential(input, options())), ['status'], 'no checker given');
        const broken = await verifyCredential(input, { ...options(), checkStatus: async () => Promise.reject(new Error('list unreachable')) });
        assert.match(broken.checks.find((c) => c.check === 'status')!.message, /list unreachable/);
      }
    });
  });

  describe('malformed input', () => {
    const inputs: Array<[string, unknown]> = [
      ['an empty string', ''],
      ['plain text', 'not a credential'],
      ['three dots of garbage', 'a.b.c'],
      ['broken JSON', '{"@context": '],
      ['a JSON array', '[1, 2]'],
      ['null', null],
      ['a number', 42],
      ['an object without proof', { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'] }],
      ['a proof that is a string', { ...sampleCredential(ISSUER_DID), proof: 'signed, honestly' }],
      ['a JWT whose payload is not JSON', 'eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln'],
    ];
    for (const [what, input] of inputs) {
      it(`returns verified false for ${what}, never throwing`, async () => {
        const result = await verifyCredential(input as string, options());
        assert.equal(result.verified, false);
        assert.ok(result.checks.some((c) => !c.ok && c.message.length > 0));
      });
    }

    it('survives a document loader that throws anything', async () => {
      const signed = await signDataIntegrity(sampleCredential(ISSUER_DID), { issuerKeys: issuer.keys, documentLoader: issuer.documentLoader, now: NOW });
      const result = await verifyCredential(signed, {
        now: NOW,
        documentLoader: async () => {
          throw 'not even an Error';
        },
      });
      assert.equal(result.verified, false);
      assert.ok(failed(result).includes('issuerKey'));
    });
  });
});
