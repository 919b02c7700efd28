import type { Collection, Document } from 'mongodb';

/**
 * One unordered insert of many documents (`ordered: false`: every document is tried). Returns the positions
 * of those refused for a duplicate key (the unique index that settles who came first); any other failure throws.
 */
export async function insertUnordered(col: Collection<Document>, docs: Document[]): Promise<Set<number>> {
  const duplicates = new Set<number>();
  if (!docs.length) return duplicates;
  try {
    await col.insertMany(docs, { ordered: false });
  } catch (err) {
    const raw = (err as { writeErrors?: unknown }).writeErrors;
    // the driver gives one error or a list
    const errors = (Array.isArray(raw) ? raw : raw ? [raw] : []) as Array<{ index: number; code?: number; err?: { code?: number } }>;
    if (!errors.length) throw err;
    for (const e of errors) {
      if ((e.code ?? e.err?.code) !== 11000) throw err;
      duplicates.add(e.index);
    }
  }
  return duplicates;
}
