import { AppError } from '../../errors';
import type { IssuedCredentialRepository } from '../../store/issued-credentials';
import type { IssueState } from '../context';

/** Step 6: store before anyone is told; a lost claim (taken over after a stall) is reported, not overwritten. */
export async function storeCredential(deps: { credentials: IssuedCredentialRepository; now: () => number }, state: IssueState): Promise<IssueState> {
  const record = state.record!;
  const issuedAt = new Date(deps.now());
  const stored = await deps.credentials.complete(record.id, record.claimToken, { ...state.signed!, issuedAt, statusSlot: record.statusSlot! });
  if (!stored) throw new AppError('ISSUANCE_CLAIM_LOST', 'Another request finished issuing this credential.', { status: 409 });
  // the stored record is what we hold plus what was just written: no need to read 16 KB back
  return { ...state, record: { ...record, ...state.signed!, issuedAt, state: 'issued' } };
}
