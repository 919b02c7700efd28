import type { Locale } from '../lti/launch-context';
import { translateOptional } from './i18n';

// a credential's JSON as stored (schema-checked at issuance); the view reads optional fields at any depth
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const loc = (plain: unknown, localized: unknown, locale: Locale): string => {
  const map = (localized ?? {}) as Record<string, string>;
  return (locale === 'lv' && map.lv) || (typeof plain === 'string' ? plain : (map.en ?? ''));
};

/** What the verification page shows of a credential: achievement, EU elements, results, issuer (pure). */
export function credentialViewModel(c: Json, locale: Locale) {
  const subject = (c.credentialSubject ?? {}) as Json;
  const a = (subject.achievement ?? {}) as Json;
  const issuer = (typeof c.issuer === 'object' ? c.issuer : { id: c.issuer }) as Json;
  const alignments = (a.alignment ?? []) as Json[];
  const level = (type: string) => alignments.find((x) => x.targetType === type)?.targetCode ?? null;
  const descriptions = new Map(((a.resultDescription ?? []) as Json[]).map((d) => [d.id, d]));
  return {
    name: loc(a.name, a.nameLocalized, locale),
    description: loc(a.description, a.descriptionLocalized, locale),
    achievementType: a.achievementType ?? null,
    criteria: loc(a.criteria?.narrative, a.criteria?.narrativeLocalized, locale),
    imageUrl: a.image?.id ?? null,
    issuer: {
      name: loc(issuer.name, issuer.nameLocalized, locale),
      url: issuer.url ?? null,
      country: issuer.address?.addressCountry ?? null,
      countryCode: issuer.address?.addressCountryCode ?? null,
      id: issuer.id ?? null,
    },
    learner: subject.name ?? null,
    issuedOn: String(c.validFrom ?? c.awardedDate ?? '').slice(0, 10),
    validUntil: c.validUntil ? String(c.validUntil).slice(0, 10) : null,
    outcomes: ((a.learningOutcome ?? []) as Json[]).map((o) => loc(undefined, o.statement, locale)).filter(Boolean),
    ects: a.creditsAvailable ?? null,
    workloadHours: a.workloadHours ?? null,
    eqf: level('ext:EQFLevel') ?? a.eqfLevel ?? null,
    nationalLevel: level('ext:NQFLevel') ?? a.nationalQualificationLevel ?? null,
    nationalFramework: a.nationalQualificationFramework ?? 'LKI',
    assessmentType: loc(undefined, a.assessmentType, locale),
    participationForm: a.participationForm ?? null,
    qualityAssurance: loc(undefined, a.qualityAssurance, locale),
    languages: ((a.languages ?? (a.inLanguage ? [a.inLanguage] : [])) as string[]).join(', '),
    results: ((subject.result ?? []) as Json[]).map((r) => {
      const d = descriptions.get(r.resultDescription) ?? {};
      const value = String(r.value ?? '');
      const graded = d.resultType !== undefined && d.resultType !== 'Status';
      return {
        name: d.name ?? r.resultDescription,
        value: translateOptional(locale, `state.${value}`) ?? value,
        max: d.valueMax ?? null,
        status: r.status ?? null,
        statusText: r.status ? (translateOptional(locale, `result.${r.status}`) ?? String(r.status)) : null,
        /** Moodle's pass grade; null with `passMissing` when a graded item has none in the credential. */
        required: d.requiredValue ?? null,
        passMissing: graded && d.requiredValue === undefined,
      };
    }),
    /** Smaller achievements this one stacks on, and the learner's credentials for them. */
    stacksOn: alignments
      .filter((x) => x.targetType === 'ceterms:Credential')
      .map((x) => ({ name: String(x.targetName ?? ''), url: String(x.targetUrl ?? '') })),
    stackedCredentials: ((Array.isArray(c.evidence) ? c.evidence : []) as Json[])
      .filter((e) => e.genre === 'Credential' && typeof e.id === 'string')
      .map((e) => String(e.id)),
  };
}

/** "Essay 1: 85 / 100 (pass grade 50, Completed)", for exports. */
export function resultText(r: ReturnType<typeof credentialViewModel>['results'][number]): string {
  const pass = r.required !== null ? `pass grade ${r.required}` : r.passMissing ? 'no pass grade reported by Moodle' : null;
  const extra = [pass, r.status].filter(Boolean).join(', ');
  return `${r.name}: ${r.value}${r.max ? ` / ${r.max}` : ''}${extra ? ` (${extra})` : ''}`;
}

/** LinkedIn's "add certification" link, filled from the credential (name, organisation, dates, URL, id). */
export function linkedInAddUrl(c: Json, credentialUrl: string, view: { name: string; issuer: { name: string } }): string {
  const issued = new Date(String(c.validFrom ?? c.awardedDate ?? ''));
  const params = new URLSearchParams({
    startTask: 'CERTIFICATION_NAME',
    name: view.name,
    organizationName: view.issuer.name,
    certUrl: credentialUrl,
    certId: String(c.id ?? credentialUrl),
  });
  if (!Number.isNaN(issued.getTime())) {
    params.set('issueYear', String(issued.getUTCFullYear()));
    params.set('issueMonth', String(issued.getUTCMonth() + 1));
  }
  if (c.validUntil) {
    const until = new Date(String(c.validUntil));
    params.set('expirationYear', String(until.getUTCFullYear()));
    params.set('expirationMonth', String(until.getUTCMonth() + 1));
  }
  return `https://www.linkedin.com/profile/add?${params.toString()}`;
}
