/**
 * Inputs of the credential builder and the JSON shapes it returns.
 * Inputs are plain data (from config, the badge store and the award step); the builder never mutates them.
 */

/** Text in English (always) and, where the teacher or institution gave it, Latvian. */
export interface LocalizedText {
  readonly en: string;
  readonly lv?: string;
}

/** OB 3.0 ResultType (spec §B.3.3); `ext:` values are allowed by the spec. */
export type ResultType =
  | 'GradePointAverage'
  | 'LetterGrade'
  | 'Percent'
  | 'PerformanceLevel'
  | 'PredictedScore'
  | 'RawScore'
  | 'Result'
  | 'RubricCriterion'
  | 'RubricCriterionLevel'
  | 'RubricScore'
  | 'ScaledScore'
  | 'Status'
  | `ext:${string}`;

/** OB 3.0 ResultStatusType. There is no 'Passed': a pass is 'Completed' with a value at or above `requiredValue`. */
export type ResultStatus = 'Completed' | 'Enrolled' | 'Failed' | 'InProgress' | 'OnHold' | 'Provisional' | 'Withdrew';

export type AchievementType = 'MicroCredential' | 'Badge' | 'Certificate';

/** Form of participation (EU Council Recommendation 2022/C 243/02, Annex I). */
export type ParticipationForm = 'online' | 'onsite' | 'blended';

/** The awarding body: one per institution (tenant). */
export interface IssuerProfile {
  /** https URL where the institution's Profile is published. */
  readonly id: string;
  /** did:web identifier; becomes `issuer.id` because proofs name `did:web:…#key`. */
  readonly did: string;
  readonly name: LocalizedText;
  /** The institution's website. */
  readonly url: string;
  readonly email: string;
  readonly address: {
    readonly addressCountry: string;
    /** ISO 3166-1 alpha-2, e.g. "LV". */
    readonly addressCountryCode: string;
    readonly addressLocality?: string;
    readonly postalCode?: string;
    readonly streetAddress?: string;
  };
  /** E.g. the Latvian education institution registration number, identifierType `ext:…` or an OB IdentifierTypeEnum value. */
  readonly otherIdentifier?: ReadonlyArray<{ readonly identifier: string; readonly identifierType: string }>;
  readonly description?: LocalizedText;
  readonly imageUrl?: string;
}

export interface LearningOutcome {
  readonly text: LocalizedText;
  /** E.g. 'ESCO'. */
  readonly framework?: string;
  /** The framework item, e.g. an ESCO skill URI; needed for an OB Alignment. */
  readonly targetUrl?: string;
  readonly targetCode?: string;
}

export interface NationalFrameworkLevel {
  /** Short name, e.g. 'LKI' (Latvijas kvalifikāciju ietvarstruktūra). */
  readonly framework: string;
  readonly level: number;
  /** Needed for frameworks the builder does not know (it knows LKI). */
  readonly frameworkName?: string;
  readonly frameworkUrl?: string;
}

export interface AssessedItem {
  readonly id: string;
  readonly name: string;
  readonly resultType: ResultType;
  readonly valueMin?: string;
  readonly valueMax?: string;
  /** The pass mark, only when the source (Moodle's gradepass) has one: never invented. */
  readonly requiredValue?: string;
  /** Ordered lowest first: a scale's items. */
  readonly allowedValue?: readonly string[];
}

/** A smaller achievement this one stacks on (a "badge earned" rule): an Alignment to it. */
export interface StackedAchievement {
  readonly name: string;
  /** The smaller achievement's id (its URL at the tool). */
  readonly achievementUrl: string;
}

/** One version of a teacher's badge. */
export interface AchievementDefinition {
  readonly badgeId: string;
  readonly version: number;
  readonly achievementType: AchievementType;
  readonly name: LocalizedText;
  readonly description: LocalizedText;
  readonly criteriaNarrative: LocalizedText;
  readonly learningOutcomes: readonly LearningOutcome[];
  /** European Qualifications Framework level, 1–8. */
  readonly eqfLevel?: number;
  readonly nationalFrameworkLevel?: NationalFrameworkLevel;
  readonly ectsCredits?: number;
  readonly workloadHours?: number;
  readonly assessmentType: LocalizedText;
  readonly participationForm: ParticipationForm;
  readonly qualityAssurance: LocalizedText;
  /** BCP 47 codes, the main language of instruction first, e.g. ['lv', 'en']. */
  readonly inLanguage: readonly string[];
  /** ISCED-F 2013 field, e.g. { code: '0613', name: 'Software and applications development and analysis' }. */
  readonly fieldOfStudy?: { readonly code?: string; readonly name: string };
  readonly imageUrl: string;
  readonly validForMonths?: number;
  readonly assessedItems: readonly AssessedItem[];
  readonly stacksOn?: readonly StackedAchievement[];
  readonly creatorProfile: IssuerProfile;
}

/** A status entry already shaped by the status-list code (e.g. BitstringStatusListEntry); passed through as is. */
export interface CredentialStatusEntry {
  readonly id: string;
  readonly type: string;
  readonly [key: string]: unknown;
}

export interface AwardInput {
  readonly learner: {
    readonly moodleUserId: string;
    /** The LTI platform issuer (`iss` of the launch). */
    readonly platformIssuer: string;
    readonly email?: string;
    readonly name?: string;
    /** The learner chose to show their name in the credential. */
    readonly showName: boolean;
  };
  /** Random, per award; at least 16 characters. */
  readonly identifierSalt: string;
  readonly results: ReadonlyArray<{ readonly assessedItemId: string; readonly value: string; readonly status?: ResultStatus }>;
  readonly evidence: ReadonlyArray<{
    readonly id?: string;
    readonly name: string;
    readonly description: string;
    readonly narrative?: string;
    readonly genre?: string;
    readonly date?: Date;
  }>;
  readonly activityStartDate?: Date;
  readonly activityEndDate?: Date;
  readonly creditsEarned?: number;
  /** https URL at the tool, e.g. `${baseUrl}/credentials/<uuid>`. */
  readonly credentialId: string;
  readonly issuedAt: Date;
  /** At most one entry: the formal OB 3.0 schema allows a single `credentialStatus` object. */
  readonly credentialStatus?: readonly CredentialStatusEntry[];
  readonly manualAward?: { readonly by: string; readonly reason: string };
}

export interface BuildCredentialInput {
  readonly issuer: IssuerProfile;
  readonly achievement: AchievementDefinition;
  readonly award: AwardInput;
  /** The tool's public base URL, e.g. https://badges.example.lv */
  readonly baseUrl: string;
}

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** An unsigned OB 3.0 AchievementCredential (VCDM 2.0) as plain JSON. */
export interface AchievementCredentialJson extends JsonObject {
  '@context': string[];
  id: string;
  type: string[];
  name: string;
  issuer: JsonObject;
  validFrom: string;
  credentialSubject: JsonObject;
}
