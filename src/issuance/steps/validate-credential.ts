import { assertValidCredential } from '../../credentials/schema/validate';
import type { IssueState } from '../context';

/** Step 4: the official OB 3.0 schema; a credential that fails it is never signed (the error names the field). */
export function validateCredential<S extends Pick<IssueState, 'unsigned'>>(state: S): S {
  assertValidCredential(state.unsigned);
  return state;
}
