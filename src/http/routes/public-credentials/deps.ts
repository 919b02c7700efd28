import type { Response } from 'express';
import type { Issuance } from '../../../issuance/services';
import type { BadgeRepository } from '../../../store/badges';
import type { InstitutionRepository } from '../../../store/institutions';

export interface PublicCredentialDeps {
  publicUrl: string;
  issuance: Issuance;
  badges: BadgeRepository;
  institutions: InstitutionRepository;
  /** The site an issuer id names: its own id, or the id of a registration merged into it. */
  siteIdOf(issuerId: string): Promise<string | null>;
}

/** A site id as stored: anything else is not found without asking the database. */
export const isId = (v: string) => /^[a-f0-9]{24}$/.test(v);

/** A public JSON(-LD) document, readable from any origin. */
export const sendLinkedData = (res: Response, body: unknown, type = 'application/ld+json') =>
  res
    .type(type)
    .set('Access-Control-Allow-Origin', '*')
    .send(JSON.stringify(body, null, 2));
