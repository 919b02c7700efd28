import { randomInt } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { IndexDefinition } from './indexes';
import { insertUnordered } from './insert-unordered';

/**
 * Status list slots (W3C Bitstring Status List v1.0). Each issuer has lists of LIST_SIZE entries; a credential
 * gets one index, chosen at random (not in issue order, so an index tells nothing about when or to whom a
 * credential was issued: spec §6.5 "group privacy") and claimed atomically by a unique index. A list's
 * `allocated` counter only decides when the list counts as full: FerretDB may lose one of two concurrent
 * increments, so it is an estimate, and nothing that must be exact depends on it.
 */
export const LIST_SIZE = 131_072; // 16 KiB bitstring, the spec's minimum for herd privacy
const MAX_PROBES = 64;

export interface StatusSlot {
  issuerId: string;
  listId: string;
  index: number;
}

const LISTS = 'status_lists';
const SLOTS = 'status_list_slots';

interface ListDoc {
  issuerId: string;
  listId: string;
  sequence: number;
  allocated: number;
  createdAt: Date;
}

export class StatusListRepository {
  readonly listSize: number;
  /** A list takes new credentials until it is this full; random probing stays cheap well below it. */
  private readonly fillLimit: number;
  /** The list each issuer's new credentials went to last: saves finding it again for every credential. */
  private readonly openListIds = new Map<string, string>();

  constructor(
    private readonly connection: Connection,
    options: { listSize?: number; fillRatio?: number } = {},
  ) {
    this.listSize = options.listSize ?? LIST_SIZE;
    this.fillLimit = Math.max(1, Math.floor(this.listSize * (options.fillRatio ?? 0.5)));
  }

  private get lists() {
    return this.connection.collection<ListDoc>(LISTS);
  }
  private get slots() {
    return this.connection.collection(SLOTS);
  }

  /** The list new credentials of this issuer go to; created on first use (unique index settles races). */
  private async openList(issuerId: string): Promise<ListDoc> {
    for (;;) {
      const open = await this.lists
        .find({ issuerId, allocated: { $lt: this.fillLimit } })
        .sort({ sequence: 1 })
        .limit(1)
        .next();
      if (open) return open;
      const last = await this.lists.find({ issuerId }).sort({ sequence: -1 }).limit(1).next();
      const sequence = (last?.sequence ?? 0) + 1;
      const doc: ListDoc = { issuerId, listId: String(sequence), sequence, allocated: 0, createdAt: new Date() };
      try {
        await this.lists.insertOne({ ...doc });
        return doc;
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err; // another process opened it first
      }
    }
  }

  /** The slot recorded for a credential. */
  async slotOf(issuerId: string, credentialId: string): Promise<StatusSlot | null> {
    const d = await this.slots.findOne({ issuerId, credentialId });
    return d ? { issuerId, listId: String(d.listId), index: Number(d.index) } : null;
  }

  /**
   * Claims a random free index; `credentialId` is recorded so the slot is traceable to exactly one credential.
   * Steady state is two writes: reserve a place in the open list (its counter), then insert the slot.
   */
  async allocate(issuerId: string, credentialId: string): Promise<StatusSlot> {
    for (;;) {
      const listId = await this.reserve(issuerId);
      for (let probe = 0; probe < MAX_PROBES; probe++) {
        const index = randomInt(this.listSize);
        try {
          await this.slots.insertOne({ issuerId, listId, index, credentialId, revoked: false, suspended: false });
          return { issuerId, listId, index };
        } catch (err) {
          if ((err as { code?: number }).code !== 11000) throw err;
        }
      }
      // unlucky probes: mark this list full so the next round opens a new one
      await this.lists.updateOne({ issuerId, listId }, { $max: { allocated: this.fillLimit } });
      this.openListIds.delete(issuerId);
    }
  }

  /** Counts one more credential into the issuer's open list (one conditional update) and returns the list's id. */
  private async reserve(issuerId: string): Promise<string> {
    for (;;) {
      const listId = this.openListIds.get(issuerId) ?? (await this.openList(issuerId)).listId;
      const res = await this.lists.updateOne({ issuerId, listId, allocated: { $lt: this.fillLimit } }, { $inc: { allocated: 1 } });
      if (res.modifiedCount === 1) {
        this.openListIds.set(issuerId, listId);
        return listId;
      }
      this.openListIds.delete(issuerId); // full meanwhile (here or in another process): find or open the next
    }
  }

  /**
   * Places for many credentials at once (bulk issuance): the open list's counter moves by the whole block in one
   * conditional update, then every slot goes in with one unordered insert; the few random indexes already taken
   * are drawn again. Steady state: two writes per block instead of two per credential. Returned in the order of
   * `credentialIds`.
   */
  async allocateMany(issuerId: string, credentialIds: readonly string[]): Promise<StatusSlot[]> {
    const placed = new Map<string, StatusSlot>();
    let rest = [...credentialIds];
    while (rest.length) {
      const { listId, count } = await this.reserveBlock(issuerId, rest.length);
      const left = await this.placeBlock(issuerId, listId, rest.slice(0, count), placed);
      rest = [...left, ...rest.slice(count)];
      if (left.length) {
        // unlucky probes: as in allocate(), the list counts as full and the rest go to the next one
        await this.lists.updateOne({ issuerId, listId }, { $max: { allocated: this.fillLimit } });
        this.openListIds.delete(issuerId);
      }
    }
    return credentialIds.map((id) => placed.get(id)!);
  }

  /** Up to `wanted` places in the issuer's open list, counted in one conditional update. */
  private async reserveBlock(issuerId: string, wanted: number): Promise<{ listId: string; count: number }> {
    for (;;) {
      const cached = this.openListIds.get(issuerId);
      // the remembered list is tried for the whole block; when it has less room, its document says how much
      const list = cached ? { listId: cached, allocated: null } : await this.openList(issuerId);
      const count = list.allocated === null ? wanted : Math.min(wanted, this.fillLimit - list.allocated);
      const res = await this.lists.updateOne({ issuerId, listId: list.listId, allocated: { $lte: this.fillLimit - count } }, { $inc: { allocated: count } });
      if (res.modifiedCount === 1) {
        this.openListIds.set(issuerId, list.listId);
        return { listId: list.listId, count };
      }
      this.openListIds.delete(issuerId);
    }
  }

  /** Inserts a slot per credential at distinct random indexes; returns the credentials left without one after MAX_PROBES rounds. */
  private async placeBlock(issuerId: string, listId: string, ids: string[], placed: Map<string, StatusSlot>): Promise<string[]> {
    let pending = ids;
    for (let probe = 0; probe < MAX_PROBES && pending.length; probe++) {
      const drawn = new Set<number>();
      const docs = pending.map((credentialId) => {
        let index = randomInt(this.listSize);
        while (drawn.has(index)) index = randomInt(this.listSize);
        drawn.add(index);
        return { issuerId, listId, index, credentialId, revoked: false, suspended: false };
      });
      const taken = await insertUnordered(this.slots, docs);
      docs.forEach((d, i) => {
        if (!taken.has(i)) placed.set(d.credentialId, { issuerId, listId, index: d.index });
      });
      pending = docs.filter((_, i) => taken.has(i)).map((d) => d.credentialId);
    }
    return pending;
  }

  /** Gives back the slots of credentials that were never stored, list by list (bulk form of release()). */
  async releaseMany(issuerId: string, credentials: ReadonlyArray<{ slot: StatusSlot; credentialId: string }>): Promise<void> {
    const byList = new Map<string, string[]>();
    for (const c of credentials) byList.set(c.slot.listId, [...(byList.get(c.slot.listId) ?? []), c.credentialId]);
    for (const [listId, ids] of byList) {
      const res = await this.slots.deleteMany({ issuerId, listId, credentialId: { $in: ids } });
      if (res.deletedCount) await this.lists.updateOne({ issuerId, listId }, { $inc: { allocated: -res.deletedCount } });
    }
  }

  /** Gives back the slot of a credential that was never stored (another request issued the award first). */
  async release(slot: StatusSlot, credentialId: string): Promise<void> {
    const res = await this.slots.deleteOne({ issuerId: slot.issuerId, listId: slot.listId, index: slot.index, credentialId });
    if (res.deletedCount === 1) await this.lists.updateOne({ issuerId: slot.issuerId, listId: slot.listId }, { $inc: { allocated: -1 } });
  }

  async setStatus(slot: StatusSlot, status: { revoked?: boolean; suspended?: boolean }): Promise<void> {
    await this.slots.updateOne({ issuerId: slot.issuerId, listId: slot.listId, index: slot.index }, { $set: status });
  }

  /** Indexes set for a purpose, to build the bitstring of one list. */
  async flaggedIndexes(issuerId: string, listId: string, purpose: 'revocation' | 'suspension'): Promise<number[]> {
    const field = purpose === 'revocation' ? 'revoked' : 'suspended';
    const docs = await this.slots.find({ issuerId, listId, [field]: true }, { projection: { index: 1, _id: 0 } }).toArray();
    return docs.map((d) => d.index as number);
  }

  async listExists(issuerId: string, listId: string): Promise<boolean> {
    return (await this.lists.countDocuments({ issuerId, listId })) > 0;
  }

  static indexes(): IndexDefinition[] {
    return [
      { collection: LISTS, key: { issuerId: 1, listId: 1 }, unique: true },
      { collection: LISTS, key: { issuerId: 1, sequence: 1 }, unique: true },
      { collection: SLOTS, key: { issuerId: 1, listId: 1, index: 1 }, unique: true },
      { collection: SLOTS, key: { credentialId: 1 } },
    ];
  }
}
