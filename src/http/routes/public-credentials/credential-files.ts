import type { RequestHandler } from 'express';
import { sendLinkedData, type PublicCredentialDeps } from './deps';
import { issuedCredential } from './issued-credential';

/** The signed credential (Data Integrity proof) as a download. */
export const credentialJson =
  (deps: PublicCredentialDeps): RequestHandler =>
  async (req, res) => {
    const record = await issuedCredential(deps, req);
    res.attachment(`credential-${record.id}.json`);
    sendLinkedData(res, record.json, 'application/vc+ld+json');
  };

/** The same credential as a VC-JWT download. */
export const credentialJwt =
  (deps: PublicCredentialDeps): RequestHandler =>
  async (req, res) => {
    const record = await issuedCredential(deps, req);
    res.attachment(`credential-${record.id}.jwt`).type('application/vc+jwt').send(record.jwt);
  };
