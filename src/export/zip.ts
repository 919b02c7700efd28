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
 * The ZIP entries: per credential, in the learner's folder, its baked PNG (the Data Integrity JSON inside an
 * `openbadgecredential` iTXt chunk, exactly as bakePng bakes it), its JSON and its VC-JWT. A credential whose
 * badge version no longer exists gets its JSON and JWT only.
 *
 * The records come in any order: a folder is a name prefix, and every unzip tool creates the folders from the
 * paths, so there are no separate folder entries. That needs no sort by learner (which MongoDB could serve
 * from an index, but FerretDB sorts in memory) and no set of learners seen: memory stays flat.
 */
export function zipEntries(images: BadgeImageCache) {
  return async function* entries(records: AsyncIterable<ExportRecord>): AsyncGenerator<ZipEntry> {
    for await (const r of records) {
      const mtime = r.issuedAt ? new Date(r.issuedAt) : new Date(0);
      const dir = learnerFolder(r.userId);
      const base = `${dir}/${slug(r.achievementName ?? '')}_${r.id}`;
      const baker = await images.baker(r.badgeId, r.badgeVersion);
      if (baker) yield { name: `${base}.png`, data: baker.bake(r.json), mtime, compress: false };
      yield { name: `${base}.json`, data: Buffer.from(JSON.stringify(r.json, null, 2), 'utf8'), mtime };
      if (r.jwt) yield { name: `${base}.jwt`, data: Buffer.from(r.jwt, 'ascii'), mtime };
    }
  };
}
