/**
 * What an institution must set up before its students can claim: the registrar saves the institution profile
 * (the issuer of every credential), connects Moodle's web service (tested when saved; without it the tool runs in
 * the weaker launch-evidence mode) and a teacher defines a first badge. Pure: the facts are read elsewhere.
 */
export interface SetupFacts {
  profileSaved: boolean;
  webService: { siteName: string; checkedAt: Date } | null;
  badgeDefined: boolean;
}

export type SetupStep = 'profile' | 'webService' | 'firstBadge';

export interface SetupChecklist {
  steps: Array<{ step: SetupStep; done: boolean }>;
  /** Credentials can be issued only once the issuer's profile exists. */
  claimsOpen: boolean;
  /** What the registrar still has to do (a teacher is told; the first badge is the teacher's own step). */
  registrarTodo: SetupStep[];
  complete: boolean;
}

export function setupChecklist(facts: SetupFacts): SetupChecklist {
  const steps: SetupChecklist['steps'] = [
    { step: 'profile', done: facts.profileSaved },
    { step: 'webService', done: facts.webService !== null },
    { step: 'firstBadge', done: facts.badgeDefined },
  ];
  return {
    steps,
    claimsOpen: facts.profileSaved,
    registrarTodo: steps.filter((s) => !s.done && s.step !== 'firstBadge').map((s) => s.step),
    complete: steps.every((s) => s.done),
  };
}
