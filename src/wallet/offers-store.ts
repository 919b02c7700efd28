import type { Connection } from 'mongoose';
import type { IndexDefinition } from '../store/indexes';
import type { ConfigurationId } from './protocol';
import type { SingleUseRegistry } from './single-use';

/**
 * Credential offers of the pre-authorized code flow, one document per offer, in their own collection.
 *
 * Life of an offer: created for one issued credential of one learner → resolved by the wallet any number of times
 * while it is open → redeemed once at the token endpoint (the code is single-use) → its access token
 * works until it expires. Everything is looked up by hash (see secrets.ts). The single use itself is enforced by
 * the SingleUseRegistry (a unique index), not by a conditional update, which FerretDB does not make atomic.
 *
 * Expiry never relies on a TTL index (FerretDB refuses them): every read filters on the dates. `expiresAt` is when
 * the document may be deleted (the sweeper and, on MongoDB, a TTL index use it); it moves to the access token's
 * expiry at redemption, while `offerExpiresAt` keeps bounding the code.
 */
export interface WalletOffer {
  offerIdHash: string;
  codeHash: string;
  txCodeHash: string | null;
  txCodeLength: number | null;
  txFailures: number;
  credentialId: string;
  platformId: string;
  userId: string;
  configurationIds: ConfigurationId[];
  createdAt: Date;
  offerExpiresAt: Date;
  expiresAt: Date;
  redeemedAt: Date | null;
  accessTokenHash: string | null;
  tokenExpiresAt: Date | null;
  /** Credential identifiers granted through `authorization_details` at the token endpoint, else null. */
  credentialIdentifiers: string[] | null;
  deliveries: Array<{ configurationId: ConfigurationId; at: Date; holderKeyThumbprint: string | null }>;
}

export type NewOffer = Pick<
  WalletOffer,
  'offerIdHash' | 'codeHash' | 'txCodeHash' | 'txCodeLength' | 'credentialId' | 'platformId' | 'userId' | 'configurationIds' | 'offerExpiresAt'
>;

const COLLECTION = 'wallet_offers';

export class WalletOfferRepository {
  constructor(
    private readonly connection: Connection,
    private readonly spent: SingleUseRegistry,
    private readonly now: () => number = Date.now,
  ) {}

  private get col() {
    return this.connection.collection<WalletOffer>(COLLECTION);
  }

  private date() {
    return new Date(this.now());
  }

  async create(offer: NewOffer): Promise<WalletOffer> {
    const doc: WalletOffer = {
      ...offer,
      txFailures: 0,
      createdAt: this.date(),
      expiresAt: offer.offerExpiresAt,
      redeemedAt: null,
      accessTokenHash: null,
      tokenExpiresAt: null,
      credentialIdentifiers: null,
      deliveries: [],
    };
    await this.col.insertOne({ ...doc });
    return doc;
  }

  /** The offer behind an offer URI, whatever its state (the caller tells open, used and expired apart). */
  async findByOfferIdHash(offerIdHash: string): Promise<WalletOffer | null> {
    return strip(await this.col.findOne({ offerIdHash }));
  }

  /** An open offer (not redeemed, not expired) by its pre-authorized code. */
  async findOpenByCode(codeHash: string): Promise<WalletOffer | null> {
    return strip(await this.col.findOne({ codeHash, redeemedAt: null, offerExpiresAt: { $gt: this.date() } }));
  }

  /**
   * Redeems the code of an open offer (the caller has checked it is open and the transaction code is right).
   * Single use comes from the registry: spending `code:<hash>` is one insert under a unique index, so of any
   * number of concurrent token requests exactly one wins; the others (and all later ones) get null.
   */
  async redeem(
    codeHash: string,
    grant: { accessTokenHash: string; tokenExpiresAt: Date; credentialIdentifiers: string[] | null },
  ): Promise<WalletOffer | null> {
    const open = await this.findOpenByCode(codeHash);
    if (!open || !(await this.spent.spend(`code:${codeHash}`, open.offerExpiresAt))) return null;
    const now = this.date();
    const expiresAt = new Date(Math.max(grant.tokenExpiresAt.getTime(), now.getTime()));
    await this.col.updateOne({ codeHash }, { $set: { redeemedAt: now, ...grant, expiresAt } });
    return { ...open, redeemedAt: now, ...grant, expiresAt };
  }

  /** Counts a wrong transaction code; at `max` failures the code is burnt (spent without a token). */
  async recordTxFailure(codeHash: string, max: number): Promise<void> {
    const open = await this.findOpenByCode(codeHash);
    if (!open) return;
    const failures = await this.spent.fail(`tx:${codeHash}`, open.offerExpiresAt);
    await this.col.updateOne({ codeHash }, { $set: { txFailures: failures } });
    if (failures >= max && (await this.spent.spend(`code:${codeHash}`, open.offerExpiresAt)))
      await this.col.updateOne({ codeHash }, { $set: { redeemedAt: this.date() } });
  }

  /** The redeemed offer whose access token this is, while the token lives. */
  async findByAccessToken(accessTokenHash: string): Promise<WalletOffer | null> {
    return strip(await this.col.findOne({ accessTokenHash, tokenExpiresAt: { $gt: this.date() } }));
  }

  async recordDelivery(accessTokenHash: string, delivery: WalletOffer['deliveries'][number]): Promise<void> {
    await this.col.updateOne({ accessTokenHash }, { $push: { deliveries: delivery } });
  }

  static indexes(): IndexDefinition[] {
    return [
      { collection: COLLECTION, key: { offerIdHash: 1 }, unique: true },
      { collection: COLLECTION, key: { codeHash: 1 }, unique: true },
      { collection: COLLECTION, key: { accessTokenHash: 1 } },
      { collection: COLLECTION, key: { expiresAt: 1 }, ttl: true },
    ];
  }
  static readonly collection = COLLECTION;
}

function strip(doc: unknown): WalletOffer | null {
  if (!doc) return null;
  const { _id, ...rest } = doc as WalletOffer & { _id: unknown };
  return rest;
}
