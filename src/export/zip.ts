import type { BadgeImageCache } from './badge-images';
import type { ExportRecord } from './source';
import type { ZipEntry } from './zip-writer';

/** A file-name-safe form of a Moodle user id (they are numbers, but a platform may send anything as `sub`). */
export const learnerFolder = (userId: string) => `learner-${userId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64) || '_'}`;

/** A short ASCII slug of a badge name: "Akadēmiskā rakstīšana" → "akademiska-rakstisana". */
export function slug(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return s || 'badge';
}

/**
 * The ZIP entries of credentials sorted by learner: a folder per learner, and per credential its baked PNG
 * (the Data Integrity JSON inside an `openbadgecredential` iTXt chunk, exactly as bakePng bakes it), its JSON and its VC-JWT. A credential
 * whose badge version no longer exists gets its JSON and JWT only.
 */
export function zipEntries(images: BadgeImageCache) {
  return async function* entries(records: AsyncIterable<ExportRecord>): AsyncGenerator<ZipEntry> {
    let folder: string | null = null;
    for await (const r of records) {
      const mtime = r.issuedAt ? new Date(r.issuedAt) : new Date(0);
      const dir = learnerFolder(r.userId);
      if (dir !== folder) {
        folder = dir;
        yield { name: `${dir}/`, mtime };
      }
      const base = `${dir}/${slug(r.achievementName ?? '')}_${r.id}`;
      const baker = await images.baker(r.badgeId, r.badgeVersion);
      if (baker) yield { name: `${base}.png`, data: baker.bake(r.json), mtime, compress: false };
      yield { name: `${base}.json`, data: Buffer.from(JSON.stringify(r.json, null, 2), 'utf8'), mtime };
      if (r.jwt) yield { name: `${base}.jwt`, data: Buffer.from(r.jwt, 'ascii'), mtime };
    }
  };
}
