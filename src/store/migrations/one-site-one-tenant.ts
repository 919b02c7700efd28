import { Types, type Connection } from 'mongoose';
import { REGISTRATIONS_COLLECTION, SITES_COLLECTION } from '../platforms';

/**
 * Before sites existed, each registration (issuer + client id) was a tenant of its own, keyed by the
 * registration's `_id`. This merges every registration of one issuer into one site:
 * - the site's id is the oldest registration's id, so the data of a site registered once is not touched and its
 *   issuer DID stays the same;
 * - the records of the other registrations are re-keyed to the site; their ids become the site's `formerIds`, so
 *   the issuer DIDs, keys and status lists already named in issued credentials keep resolving, and a credential
 *   remembers which list its status slot is on (`statusSlot.issuerId`);
 * - one-per-tenant records (institution profile, web-service connection) keep the most recently saved one;
 *   learner states (what the last sync read, a cache) of merged registrations are dropped: the next sync reads
 *   those learners again.
 * Every step can run again: a migration stopped half-way finishes on the next start.
 */
export interface SiteMergeReport {
  sitesCreated: number;
  registrationsMerged: number;
}

/** Collections whose records carry the tenant id in `platformId` and are simply re-keyed. */
const REKEYED = ['badges', 'decisions', 'audit_log', 'api_tokens', 'sync_runs', 'wallet_offers'];

interface RegistrationRow {
  _id: Types.ObjectId;
  issuer: string;
  name: string;
  siteId?: string;
  createdAt?: Date;
}

export async function mergeRegistrationsIntoSites(connection: Connection): Promise<SiteMergeReport> {
  const registrations = connection.collection<RegistrationRow>(REGISTRATIONS_COLLECTION);
  const pending = await registrations.find({ siteId: { $exists: false } }).toArray();
  const report: SiteMergeReport = { sitesCreated: 0, registrationsMerged: 0 };
  if (!pending.length) return report;
  const byIssuer = new Map<string, RegistrationRow[]>();
  for (const r of await registrations.find({}).toArray()) byIssuer.set(r.issuer, [...(byIssuer.get(r.issuer) ?? []), r]);
  for (const [issuer, rows] of byIssuer) {
    if (!rows.some((r) => !r.siteId)) continue;
    const { siteId, created } = await siteFor(connection, issuer, rows);
    if (created) report.sitesCreated++;
    for (const r of rows.filter((x) => !x.siteId)) {
      const dataId = String(r._id);
      if (dataId !== siteId) {
        // the former id first: from here on the old DID and lists resolve through the site
        await connection.collection(SITES_COLLECTION).updateOne({ _id: new Types.ObjectId(siteId) }, { $addToSet: { formerIds: dataId } });
        await rekeyTenant(connection, dataId, siteId);
        report.registrationsMerged++;
      }
      await registrations.updateOne({ _id: r._id }, { $set: { siteId } });
    }
  }
  return report;
}

const byAge = (a: RegistrationRow, b: RegistrationRow) =>
  (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0) || String(a._id).localeCompare(String(b._id));

/** The issuer's site: the existing one, else one whose id is the oldest registration's id. */
async function siteFor(connection: Connection, issuer: string, rows: RegistrationRow[]): Promise<{ siteId: string; created: boolean }> {
  const sites = connection.collection(SITES_COLLECTION);
  const existing = await sites.findOne({ issuer });
  if (existing) return { siteId: String(existing._id), created: false };
  const oldest = [...rows].sort(byAge)[0]!;
  const doc = { _id: oldest._id, issuer, name: oldest.name, formerIds: [] as string[], createdAt: oldest.createdAt ?? new Date() };
  try {
    await sites.insertOne(doc);
  } catch (err) {
    // another instance starting at the same moment created it
    if ((err as { code?: number }).code !== 11000) throw err;
    const raced = await sites.findOne({ issuer });
    if (raced) return { siteId: String(raced._id), created: false };
    throw err;
  }
  return { siteId: String(oldest._id), created: true };
}

/** Moves every record of tenant `from` to tenant `to`. */
export async function rekeyTenant(connection: Connection, from: string, to: string): Promise<void> {
  const credentials = connection.collection('credentials');
  // the status slot stays on the list it was taken from (its URL is inside the signed credential)
  await credentials.updateMany(
    { platformId: from, statusSlot: { $ne: null }, 'statusSlot.issuerId': { $exists: false } },
    { $set: { 'statusSlot.issuerId': from } },
  );
  await credentials.updateMany({ platformId: from }, { $set: { platformId: to } });
  for (const name of REKEYED) await connection.collection(name).updateMany({ platformId: from }, { $set: { platformId: to } });
  await connection.collection('sessions').updateMany({ 'context.platformId': from }, { $set: { 'context.platformId': to } });
  await connection.collection('learner_states').deleteMany({ platformId: from });
  await keepNewest(connection, 'institution_profiles', 'updatedAt', from, to);
  await keepNewest(connection, 'ws_connections', 'checkedAt', from, to);
}

/** A one-per-tenant record: the newer of the two becomes the site's. */
async function keepNewest(connection: Connection, collection: string, dateField: string, from: string, to: string): Promise<void> {
  const col = connection.collection(collection);
  const moving = await col.findOne({ platformId: from });
  if (!moving) return;
  const staying = await col.findOne({ platformId: to });
  const time = (d: Record<string, unknown> | null) => (d?.[dateField] instanceof Date ? (d[dateField] as Date).getTime() : 0);
  if (staying && time(staying) >= time(moving)) {
    await col.deleteOne({ _id: moving._id });
    return;
  }
  if (staying) await col.deleteOne({ _id: staying._id });
  await col.updateOne({ _id: moving._id }, { $set: { platformId: to } });
}
