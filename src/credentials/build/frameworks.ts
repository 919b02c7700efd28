/**
 * Frameworks the builder aligns to. OB 3.0's AlignmentTargetType enum names only CASE and CTDL items,
 * so these use the spec's `ext:` extension values (the formal schema's pattern for extension values).
 */
export interface FrameworkInfo {
  readonly name: string;
  readonly url?: string;
  readonly targetType: `ext:${string}`;
}

export const EQF: FrameworkInfo & { url: string } = {
  name: 'European Qualifications Framework (EQF)',
  url: 'https://europass.europa.eu/en/description-eight-eqf-levels',
  targetType: 'ext:EQFLevel',
};

/** National qualifications frameworks by short name; add one here when a university of another country joins. */
export const NATIONAL_FRAMEWORKS: Readonly<Record<string, FrameworkInfo & { url: string }>> = {
  LKI: {
    name: 'Latvian Qualifications Framework (LKI, Latvijas kvalifikāciju ietvarstruktūra)',
    url: 'https://www.latvijaskvalifikacijas.lv/en/',
    targetType: 'ext:NQFLevel',
  },
};
export const NQF_TARGET_TYPE = 'ext:NQFLevel' as const;

/** Skill frameworks learning outcomes can point into, by the short name teachers pick. */
export const OUTCOME_FRAMEWORKS: Readonly<Record<string, FrameworkInfo>> = {
  ESCO: {
    name: 'ESCO (European Skills, Competences, Qualifications and Occupations)',
    url: 'https://esco.ec.europa.eu/',
    targetType: 'ext:ESCOSkill',
  },
};

export const nationalFramework = (framework: string) => (Object.hasOwn(NATIONAL_FRAMEWORKS, framework) ? NATIONAL_FRAMEWORKS[framework] : undefined);
export const outcomeFramework = (framework: string) => (Object.hasOwn(OUTCOME_FRAMEWORKS, framework) ? OUTCOME_FRAMEWORKS[framework] : undefined);
