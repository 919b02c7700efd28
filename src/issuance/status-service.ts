import { createCredential, createList } from '@digitalbazaar/vc-bitstring-status-list';
import type { DocumentLoader } from '../credentials/contexts/document-loader';
import type { IssuerKeyManager } from '../credentials/keys';
import { signDataIntegrity } from '../credentials/proof';
import type { CredentialStatusEntry } from '../credentials/build/types';
import type { HolderCopyRepository } from '../store/holder-copies';
import type { IssuedCredentialRepository } from '../store/issued-credentials';
import type { StatusListRepository, StatusSlot } from '../store/status-lists';
import { issuerIdentity } from './issuer-identity';

export type StatusPurpose = 'revocation' | 'suspension';

/**
 * Credential status, published two ways: W3C Bitstring Status List credentials (signed by the issuer, one per
 * list and purpose; the credential's `credentialStatus` names the revocation list, since the formal OB 3.0
 * schema allows one status entry) and OB 3.0's 1EdTechRevocationList document with both spellings of its
 * list property (`revokedCredential` in the spec text, `revokedCredentials` in 1EdTech's validator).
 */
export class StatusService {
  private readonly cache = new Map<string, { at: number; credential: Record<string, unknown> }>();

  constructor(
    private readonly deps: {
      publicUrl: string;
      slots: StatusListRepository;
      credentials: IssuedCredentialRepository;
      copies?: HolderCopyRepository;
      keys: IssuerKeyManager;
      documentLoader: DocumentLoader;
      now: () => number;
      cacheMs?: number;
    },
  ) {}

  listUrl(platformId: string, listId: string, purpose: StatusPurpose): string {
    return `${this.deps.publicUrl}/status/${platformId}/${listId}/${purpose}`;
  }

  revocationListUrl(platformId: string): string {
    return `${this.deps.publicUrl}/status/${platformId}/revocations`;
  }

  entryFor(slot: StatusSlot): CredentialStatusEntry {
    const list = this.listUrl(slot.issuerId, slot.listId, 'revocation');
    return {
      id: `${list}#${slot.index}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(slot.index),
      statusListCredential: list,
    };
  }

  /** Marks a credential's slot and forgets the cached lists, so the next fetch is signed anew. */
  async setStatus(slot: StatusSlot, status: { revoked: boolean; suspended: boolean }): Promise<void> {
    await this.deps.slots.setStatus(slot, status);
    for (const purpose of ['revocation', 'suspension'] as const) this.cache.delete(`${slot.issuerId}/${slot.listId}/${purpose}`);
  }

  /** The signed BitstringStatusListCredential; null when the list does not exist. */
  async listCredential(platformId: string, listId: string, purpose: StatusPurpose): Promise<Record<string, unknown> | null> {
    const key = `${platformId}/${listId}/${purpose}`;
    const cached = this.cache.get(key);
    if (cached && this.deps.now() - cached.at < (this.deps.cacheMs ?? 60_000)) return cached.credential;
    if (!(await this.deps.slots.listExists(platformId, listId))) return null;
    const list = await createList({ length: this.deps.slots.listSize });
    for (const index of await this.deps.slots.flaggedIndexes(platformId, listId, purpose)) list.setStatus(index, true);
    const url = this.listUrl(platformId, listId, purpose);
    const unsigned = (await createCredential({ id: url, list, statusPurpose: purpose })) as Record<string, unknown>;
    const identity = issuerIdentity(this.deps.publicUrl, platformId);
    const now = new Date(this.deps.now());
    const credential = await signDataIntegrity(
      { ...unsigned, issuer: identity.did, validFrom: now.toISOString().replace(/\.\d{3}Z$/, 'Z') },
      { issuerKeys: await this.deps.keys.ensureIssuerKeys(platformId), documentLoader: this.deps.documentLoader, now },
    );
    this.cache.set(key, { at: this.deps.now(), credential: credential as Record<string, unknown> });
    return credential as Record<string, unknown>;
  }

  async revocationList(platformId: string): Promise<Record<string, unknown>> {
    const revoked = (await this.deps.credentials.revokedInPlatform(platformId)).map((c) => ({
      id: `${this.deps.publicUrl}/credentials/${c.id}`,
      ...(c.statusReason ? { revocationReason: c.statusReason } : {}),
    }));
    return {
      id: this.revocationListUrl(platformId),
      issuer: issuerIdentity(this.deps.publicUrl, platformId).did,
      revokedCredential: revoked,
      revokedCredentials: revoked,
    };
  }

  /** Status of one of our credentials, for our verifier (read from the database, the source of the lists); a wallet copy has its award's. */
  async statusOfCredentialUrl(url: string): Promise<{ revoked: boolean; suspended: boolean } | null> {
    const id = url.startsWith(`${this.deps.publicUrl}/credentials/`) ? url.slice(`${this.deps.publicUrl}/credentials/`.length) : null;
    const copy = id && this.deps.copies ? await this.deps.copies.findById(id) : null;
    const record = id ? await this.deps.credentials.findById(copy ? copy.parentId : id) : null;
    if (!record) return null;
    return { revoked: record.status === 'revoked', suspended: record.status === 'suspended' };
  }
}
