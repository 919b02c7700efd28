import { randomUUID } from 'node:crypto';
import { isoDateTime } from '../credentials/build/dates';
import { CONTEXT_URLS } from '../credentials/contexts/document-loader';
import type { IssuerKeys } from '../credentials/keys/issuer-keys';
import { signVcJwt } from '../credentials/proof/sign-vc-jwt';
import type { IssuerIdentity } from '../issuance/issuer-identity';
import type { InstitutionProfile } from '../issuers/profile';
import type { ClrProof } from './filter';
import { groupByLearner, type LearnerGroup } from './group-by-learner';
import type { ExportRecord } from './source';

/** The CLR 2.0 context (1EdTech). Not pinned in this project: see src/export/README.md, "CLR and signing". */
export const CLR_CONTEXT_URL = 'https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json';

/** CLR 2.0 §: the first three @context entries are VCDM 2.0, CLR 2.0.1 and OB 3.0.3, in that order. */
export const CLR_CONTEXTS = [CONTEXT_URLS.credentialsV2, CLR_CONTEXT_URL, CONTEXT_URLS.openBadges] as const;

type Json = Record<string, unknown>;

export interface ClrOptions {
  identity: IssuerIdentity;
  institution: InstitutionProfile | null;
  /** Only some of the learner's credentials (a course, badge or date filter): the CLR says `partial: true`. */
  partial: boolean;
  proof: ClrProof;
  /** Needed for proof `vc-jwt`. */
  issuerKeys?: IssuerKeys;
  now: () => number;
}

/** The institution as the CLR's issuer Profile (the did:web that signs, as in the OB credentials). */
function issuerProfile(o: ClrOptions, fallback: Json | undefined): Json {
  const inst = o.institution;
  if (!inst) return { id: o.identity.did, type: ['Profile'], name: typeof fallback?.name === 'string' ? fallback.name : o.identity.profileUrl };
  return {
    id: o.identity.did,
    type: ['Profile'],
    name: inst.name.en,
    url: inst.url,
    email: inst.email,
    address: { type: ['Address'], ...inst.address },
  };
}

/**
 * One learner's Comprehensive Learner Record (CLR 2.0 ClrCredential): the ClrSubject bundles every Open Badges
 * credential of the group as issued (signed; each verifies on its own) and the list of their achievements.
 * The learner is identified as in those credentials (the same hashed IdentityObjects), never by a bare
 * Moodle id.
 */
export function buildClr(group: LearnerGroup, o: ClrOptions): Json {
  const credentials = group.records.map((r) => r.json);
  const subjects = credentials.map((c) => (c.credentialSubject ?? {}) as Json);
  const achievements = new Map<string, Json>();
  for (const s of subjects) {
    const a = s.achievement as Json | undefined;
    if (a && !achievements.has(String(a.id))) achievements.set(String(a.id), a);
  }
  const identifier = subjects.find((s) => Array.isArray(s.identifier) && s.identifier.length)?.identifier;
  const issued = isoDateTime(new Date(o.now()));
  const issuer = issuerProfile(o, credentials[0]?.issuer as Json | undefined);
  return {
    '@context': [...CLR_CONTEXTS],
    id: `urn:uuid:${randomUUID()}`,
    type: ['VerifiableCredential', 'ClrCredential'],
    issuer,
    name: `Comprehensive Learner Record: ${String(issuer.name)}`,
    description: `${credentials.length} Open Badges credential${credentials.length === 1 ? '' : 's'} issued by ${String(issuer.name)}.`,
    validFrom: issued,
    awardedDate: issued,
    partial: o.partial,
    credentialSubject: {
      type: ['ClrSubject'],
      ...(identifier ? { identifier } : {}),
      achievement: [...achievements.values()],
      verifiableCredential: credentials,
    },
  };
}

/**
 * CLR writer (a stream.pipeline stage, input sorted by learner): one line per learner. With `vc-jwt` (the
 * default) a line is the compact JWS of the ClrCredential (a JSON string), signed RS256 with the platform's issuer
 * key named through its did:web document, the bundled credentials inside it unchanged; with `none` (asked for
 * explicitly) it is the unsigned ClrCredential JSON.
 */
export function clrWriter(o: ClrOptions) {
  if (o.proof === 'vc-jwt' && !o.issuerKeys) throw new Error('clrWriter: vc-jwt needs issuerKeys');
  return async function* clr(records: AsyncIterable<ExportRecord>): AsyncGenerator<string> {
    let chunk = '';
    for await (const group of groupByLearner(records)) {
      const credential = buildClr(group, o);
      const line =
        o.proof === 'vc-jwt'
          ? JSON.stringify(await signVcJwt(credential, { issuerKeys: o.issuerKeys!, alg: 'RS256', now: new Date(o.now()) }))
          : JSON.stringify(credential);
      chunk += line + '\n';
      if (chunk.length >= 65_536) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  };
}
