/**
 * Builders for credential inputs; each call returns a fresh object, so tests can change what they need.
 * Institutions and URLs are fictional; the ESCO URIs have ESCO's shape but made-up ids.
 */
import type { AchievementDefinition, AwardInput, BuildCredentialInput, IssuerProfile } from '../../../../src/credentials/build/types';

export const BASE_URL = 'https://badges.example.lv';
export const ISSUED_AT = '2025-03-14T09:30:00Z';
export const SALT = 'k3v9-Qw2x-Zr7p-Lm4t';
export const EMAIL = 'Janis.Berzins@Students.Example.LV';
export const LEARNER_NAME = 'Jānis Bērziņš';
export const MOODLE_USER_ID = '4711';
export const PLATFORM_ISSUER = 'https://moodle.example.lv';

export function latvianIssuer(): IssuerProfile {
  return {
    id: 'https://badges.example.lv/issuers/daugava-university',
    did: 'did:web:badges.example.lv:issuers:daugava-university',
    name: { en: 'Daugava University', lv: 'Daugavas Universitāte' },
    url: 'https://www.daugava.example.lv',
    email: 'registrar@daugava.example.lv',
    address: {
      addressCountry: 'Latvia',
      addressCountryCode: 'LV',
      addressLocality: 'Rīga',
      postalCode: 'LV-1050',
      streetAddress: 'Universitātes iela 1',
    },
    otherIdentifier: [{ identifier: '3343800123', identifierType: 'ext:LVEducationInstitutionRegistrationNumber' }],
    description: { en: 'A public university in Riga.', lv: 'Valsts universitāte Rīgā.' },
    imageUrl: 'https://www.daugava.example.lv/logo.png',
  };
}

/** A full Latvian micro-credential: EQF 5, LKI 5, 6 ECTS, 160 hours, ESCO skills. */
export function microCredentialDefinition(): AchievementDefinition {
  return {
    badgeId: 'data-analysis-python',
    version: 2,
    achievementType: 'MicroCredential',
    name: { en: 'Data Analysis with Python', lv: 'Datu analīze ar Python' },
    description: {
      en: 'Cleaning, analysing and visualising tabular data with Python and pandas.',
      lv: 'Tabulāru datu tīrīšana, analīze un vizualizācija ar Python un pandas.',
    },
    criteriaNarrative: {
      en: 'Pass all three graded assignments with at least 60 % and the final project.',
      lv: 'Nokārtot visus trīs vērtētos uzdevumus ar vismaz 60 % un noslēguma projektu.',
    },
    learningOutcomes: [
      {
        text: { en: 'Use Python to clean and transform data sets', lv: 'Izmantot Python datu kopu tīrīšanai un pārveidošanai' },
        framework: 'ESCO',
        targetUrl: 'http://data.europa.eu/esco/skill/00000000-0000-4000-8000-000000000001',
        targetCode: 'S5.6.1',
      },
      {
        text: { en: 'Visualise data for decision making', lv: 'Vizualizēt datus lēmumu pieņemšanai' },
        framework: 'ESCO',
        targetUrl: 'http://data.europa.eu/esco/skill/00000000-0000-4000-8000-000000000002',
      },
      { text: { en: 'Explain the limits of a statistical analysis', lv: 'Izskaidrot statistiskas analīzes robežas' } },
    ],
    eqfLevel: 5,
    nationalFrameworkLevel: { framework: 'LKI', level: 5 },
    ectsCredits: 6,
    workloadHours: 160,
    assessmentType: { en: 'Graded written assignments and a final project', lv: 'Vērtēti rakstiski uzdevumi un noslēguma projekts' },
    participationForm: 'online',
    qualityAssurance: {
      en: 'Study programme accredited by the Academic Information Centre (AIC)',
      lv: 'Studiju programmu akreditējis Akadēmiskās informācijas centrs (AIC)',
    },
    inLanguage: ['lv', 'en'],
    fieldOfStudy: { code: '0613', name: 'Software and applications development and analysis' },
    imageUrl: 'https://badges.example.lv/images/data-analysis-python.png',
    validForMonths: 36,
    assessedItems: [
      { id: 'assign-1', name: 'Assignment 1: data cleaning', resultType: 'Percent', valueMax: '100', requiredValue: '60' },
      { id: 'assign-2', name: 'Assignment 2: visualisation', resultType: 'Percent', valueMax: '100', requiredValue: '60' },
      { id: 'project', name: 'Final project', resultType: 'Status' },
    ],
    creatorProfile: latvianIssuer(),
  };
}

/** The least a teacher's badge needs: no levels, credits, outcomes or Latvian text. */
export function minimalBadgeDefinition(): AchievementDefinition {
  return {
    badgeId: 'forum-helper',
    version: 1,
    achievementType: 'Badge',
    name: { en: 'Forum Helper' },
    description: { en: 'Answered other learners in the course forum.' },
    criteriaNarrative: { en: 'Ten forum answers marked helpful.' },
    learningOutcomes: [],
    assessmentType: { en: 'Peer rating of forum posts' },
    participationForm: 'online',
    qualityAssurance: { en: 'Internal course review' },
    inLanguage: ['en'],
    imageUrl: 'https://badges.example.lv/images/forum-helper.png',
    assessedItems: [],
    creatorProfile: latvianIssuer(),
  };
}

export function microCredentialAward(): AwardInput {
  return {
    learner: { moodleUserId: MOODLE_USER_ID, platformIssuer: PLATFORM_ISSUER, email: EMAIL, name: LEARNER_NAME, showName: false },
    identifierSalt: SALT,
    results: [
      { assessedItemId: 'assign-1', value: '84', status: 'Completed' },
      { assessedItemId: 'assign-2', value: '71', status: 'Completed' },
      { assessedItemId: 'project', value: 'Passed', status: 'Completed' },
    ],
    evidence: [
      {
        id: 'https://moodle.example.lv/mod/assign/view.php?id=812',
        name: 'Final project',
        description: 'Analysis of open data from the Latvian Central Statistical Bureau',
        narrative: 'Graded by two teachers against the published rubric.',
        date: new Date('2025-03-01T12:00:00Z'),
      },
    ],
    activityStartDate: new Date('2025-01-06T00:00:00Z'),
    activityEndDate: new Date('2025-03-07T00:00:00Z'),
    creditsEarned: 6,
    credentialId: `${BASE_URL}/credentials/4f0c7c1e-9d52-4a51-8f0e-2b1d2f7f5a10`,
    issuedAt: new Date(ISSUED_AT),
    credentialStatus: [
      {
        id: `${BASE_URL}/status/revocation/1#94567`,
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: '94567',
        statusListCredential: `${BASE_URL}/status/revocation/1`,
      },
    ],
  };
}

export function minimalAward(): AwardInput {
  return {
    learner: { moodleUserId: MOODLE_USER_ID, platformIssuer: PLATFORM_ISSUER, showName: false },
    identifierSalt: SALT,
    results: [],
    evidence: [],
    credentialId: `${BASE_URL}/credentials/0d5f3c8a-7c1b-4d3e-9a6f-5e4b3c2a1f00`,
    issuedAt: new Date(ISSUED_AT),
  };
}

export const fullInput = (): BuildCredentialInput => ({
  issuer: latvianIssuer(),
  achievement: microCredentialDefinition(),
  award: microCredentialAward(),
  baseUrl: BASE_URL,
});

export const minimalInput = (): BuildCredentialInput => ({
  issuer: latvianIssuer(),
  achievement: minimalBadgeDefinition(),
  award: minimalAward(),
  baseUrl: BASE_URL,
});

/** Plain JSON → mutable deep copy, for negative cases that break one field. */
export const cloneJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !(value instanceof Date) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
