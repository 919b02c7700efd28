import type { Connection } from 'mongoose';
import { rekeyAwards } from './award-keys';
import { mergeRegistrationsIntoSites } from './one-site-one-tenant';

export interface MigrationReport {
  sitesCreated: number;
  registrationsMerged: number;
  awardsRekeyed: number;
  duplicateAwards: number;
}

/** Data migrations, run at start-up before the app serves anything; each is safe to run again. */
export async function runMigrations(connection: Connection): Promise<MigrationReport> {
  const sites = await mergeRegistrationsIntoSites(connection);
  const awards = await rekeyAwards(connection, sites.registrationsMerged > 0);
  return { ...sites, awardsRekeyed: awards.rekeyed, duplicateAwards: awards.duplicates };
}
