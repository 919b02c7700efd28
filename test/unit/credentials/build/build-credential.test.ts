import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { buildAchievementCredential } from '../../../../src/credentials/build/build-credential';
import { definitionProblems } from '../../../../src/credentials/build/check-input';
import { CONTEXT_URLS } from '../../../../src/credentials/contexts/document-loader';
import type { AwardInput, BuildCredentialInput } from '../../../../src/credentials/build/types';
import { euExtensionContextUrl } from '../../../../src/credentials/eu-extension/context';
import { AppError } from '../../../../src/errors';
import {
  BASE_URL,
  EMAIL,
  ISSUED_AT,
  LEARNER_NAME,
  MOODLE_USER_ID,
  PLATFORM_ISSUER,
  SALT,
  deepFreeze,
  fullInput,
  latvianIssuer,
  microCredentialDefinition,
  minimalBadgeDefinition,
  minimalInput,
} from './fixtures';

type Json = any;

const build = (input: BuildCredentialInput = fullInput()): Json => buildAchievementCredential(input);
const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const withAward = (change: Partial<AwardInput>, base = fullInput()): BuildCredentialInput => ({
  ...base,
  award: { ...base.award, ...change },
});

describe('buildAchievementCredential: shape', () => {
  const credential = build();
  const achievement = credential.credentialSubject.achievement;

  it('uses VCDM 2.0, OB 3.0.3, the OB extensions and the EU extension contexts, in that order', () => {
    assert.deepEqual(credential['@context'], [
      CONTEXT_URLS.credentialsV2,
      CONTEXT_URLS.openBadges,
      CONTEXT_URLS.openBadgesExtensions,
      `${BASE_URL}/contexts/eu-microcredential/v1`,
    ]);
  });

  it('is a VerifiableCredential + OpenBadgeCredential with the award id', () => {
    assert.deepEqual(credential.type, ['VerifiableCredential', 'OpenBadgeCredential']);
    assert.equal(credential.id, fullInput().award.credentialId);
    assert.equal(credential.name, 'Data Analysis with Python');
  });

  it('issuer.id is the did:web; the published Profile URL stays as an identifier', () => {
    assert.equal(credential.issuer.id, 'did:web:badges.example.lv:issuers:daugava-university');
    assert.deepEqual(credential.issuer.type, ['Profile']);
    assert.deepEqual(credential.issuer.otherIdentifier[0], {
      type: 'IdentifierEntry',
      identifier: latvianIssuer().id,
      identifierType: 'ext:ProfileUrl',
    });
    assert.equal(credential.issuer.otherIdentifier[1].identifierType, 'ext:LVEducationInstitutionRegistrationNumber');
  });

  it('validFrom and awardedDate are the issue time, without milliseconds', () => {
    assert.equal(credential.validFrom, ISSUED_AT);
    assert.equal(credential.awardedDate, ISSUED_AT);
  });

  it('cites the formal schema with the 1EdTech validator type', () => {
    assert.deepEqual(credential.credentialSchema, [
      {
        id: 'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json',
        type: '1EdTechJsonSchemaValidator2019',
      },
    ]);
  });

  it('embeds the achievement at one URL per badge version', () => {
    assert.equal(achievement.id, `${BASE_URL}/achievements/data-analysis-python/v2`);
    assert.equal(achievement.version, '2');
    assert.deepEqual(achievement.type, ['Achievement', 'EuMicroCredential']);
    assert.equal(achievement.achievementType, 'MicroCredential');
    assert.deepEqual(achievement.criteria.id, `${achievement.id}#criteria`);
    assert.deepEqual(achievement.image, { id: 'https://badges.example.lv/images/data-analysis-python.png', type: 'Image' });
    assert.equal(achievement.creator.id, credential.issuer.id);
  });

  it('a trailing slash on baseUrl changes nothing', () => {
    assert.deepEqual(build({ ...fullInput(), baseUrl: `${BASE_URL}/` }), credential);
  });

  it('aligns ESCO skills, the EQF level and the LKI level with ext: target types', () => {
    const byType = (t: string) => achievement.alignment.filter((a: Json) => a.targetType === t);
    assert.equal(byType('ext:ESCOSkill').length, 2, 'the outcome without targetUrl is no Alignment');
    assert.deepEqual(byType('ext:ESCOSkill')[0], {
      type: ['Alignment'],
      targetName: 'Use Python to clean and transform data sets',
      targetUrl: 'http://data.europa.eu/esco/skill/00000000-0000-4000-8000-000000000001',
      targetCode: 'S5.6.1',
      targetFramework: 'ESCO (European Skills, Competences, Qualifications and Occupations)',
      targetType: 'ext:ESCOSkill',
    });
    assert.deepEqual(byType('ext:EQFLevel'), [
      {
        type: ['Alignment'],
        targetName: 'EQF level 5',
        targetCode: '5',
        targetFramework: 'European Qualifications Framework (EQF)',
        targetType: 'ext:EQFLevel',
        targetUrl: 'https://europass.europa.eu/en/description-eight-eqf-levels',
      },
    ]);
    const [lki] = byType('ext:NQFLevel');
    assert.equal(lki.targetName, 'LKI level 5');
    assert.equal(lki.targetCode, '5');
    assert.match(lki.targetFramework, /Latvian Qualifications Framework/);
    assert.match(lki.targetUrl, /^https:\/\//);
  });

  it('an unknown national framework uses the name and URL the definition gives', () => {
    const input = fullInput();
    const nqf = { framework: 'EKR', level: 4, frameworkName: 'Eesti kvalifikatsiooniraamistik', frameworkUrl: 'https://www.kutsekoda.ee/' };
    const c = build({ ...input, achievement: { ...input.achievement, nationalFrameworkLevel: nqf } });
    const [alignment] = c.credentialSubject.achievement.alignment.filter((a: Json) => a.targetType === 'ext:NQFLevel');
    assert.equal(alignment.targetFramework, 'Eesti kvalifikatsiooniraamistik');
    assert.equal(alignment.targetUrl, 'https://www.kutsekoda.ee/');
  });

  it('describes each assessed item and links each result to it', () => {
    assert.deepEqual(achievement.resultDescription[0], {
      id: `${achievement.id}#result-assign-1`,
      type: ['ResultDescription'],
      name: 'Assignment 1: data cleaning',
      resultType: 'Percent',
      valueMax: '100',
      requiredValue: '60',
    });
    assert.deepEqual(credential.credentialSubject.result[0], {
      type: ['Result'],
      resultDescription: `${achievement.id}#result-assign-1`,
      value: '84',
      status: 'Completed',
    });
    const ids = new Set(achievement.resultDescription.map((d: Json) => d.id));
    for (const result of credential.credentialSubject.result) assert.ok(ids.has(result.resultDescription));
  });

  it('carries credits and activity dates of the learner', () => {
    assert.equal(credential.credentialSubject.creditsEarned, 6);
    assert.equal(credential.credentialSubject.activityStartDate, '2025-01-06T00:00:00Z');
    assert.equal(credential.credentialSubject.activityEndDate, '2025-03-07T00:00:00Z');
  });

  it('records evidence, and a manual award as evidence with who and why', () => {
    assert.equal(credential.evidence.length, 1);
    assert.equal(credential.evidence[0].evidenceDate, '2025-03-01T12:00:00Z');
    const manual = build(withAward({ manualAward: { by: 'Dr. Liepa', reason: 'Completed the work offline during illness' } }));
    const last = manual.evidence.at(-1);
    assert.deepEqual(last.type, ['Evidence']);
    assert.equal(last.genre, 'Manual award');
    assert.equal(last.description, 'Completed the work offline during illness');
    assert.match(last.narrative, /Dr\. Liepa/);
  });

  it('passes one credentialStatus entry through as the single object OB allows', () => {
    assert.deepEqual(credential.credentialStatus, fullInput().award.credentialStatus?.[0]);
  });

  it('carries Latvian text in language maps next to the English OB fields', () => {
    assert.deepEqual(credential.nameLocalized, { en: 'Data Analysis with Python', lv: 'Datu analīze ar Python' });
    assert.equal(credential.descriptionLocalized.lv, 'Tabulāru datu tīrīšana, analīze un vizualizācija ar Python un pandas.');
    assert.equal(achievement.nameLocalized.lv, 'Datu analīze ar Python');
    assert.match(achievement.criteria.narrativeLocalized.lv, /noslēguma projektu/);
    assert.equal(credential.issuer.nameLocalized.lv, 'Daugavas Universitāte');
    assert.equal(achievement.learningOutcome[0].statement.lv, 'Izmantot Python datu kopu tīrīšanai un pārveidošanai');
    assert.match(achievement.assessmentType.lv, /Vērtēti/);
    assert.match(achievement.qualityAssurance.lv, /Akadēmiskās informācijas centrs/);
  });

  it('a minimal Badge has no EU type, levels, credits, results or Latvian, and English language maps', () => {
    const minimal = build(minimalInput());
    const a = minimal.credentialSubject.achievement;
    assert.deepEqual(a.type, ['Achievement']);
    for (const absent of ['alignment', 'resultDescription', 'learningOutcome', 'creditsAvailable', 'eqfLevel', 'workloadHours', 'fieldOfStudy']) {
      assert.equal(a[absent], undefined, absent);
    }
    for (const absent of ['result', 'creditsEarned', 'activityStartDate']) assert.equal(minimal.credentialSubject[absent], undefined, absent);
    assert.equal(minimal.evidence, undefined);
    assert.equal(minimal.credentialStatus, undefined);
    assert.deepEqual(a.nameLocalized, { en: 'Forum Helper' });
    assert.equal(a.inLanguage, 'en');
  });
});

describe('buildAchievementCredential: EU micro-credential elements (Council Recommendation 2022/C 243/02, Annex I)', () => {
  const c = build();
  const a = c.credentialSubject.achievement;
  const alignments = (type: string) => a.alignment.filter((x: Json) => x.targetType === type);
  const elements: Array<[string, string, () => unknown]> = [
    [
      'identification of the learner',
      'credentialSubject.identifier (salted hashes)',
      () => c.credentialSubject.identifier.length >= 1 && c.credentialSubject.identifier[0].hashed,
    ],
    ['title of the micro-credential', 'name, achievement.name, nameLocalized', () => c.name && a.name && a.nameLocalized.lv],
    ['country of the issuer', 'issuer.address.addressCountryCode', () => c.issuer.address.addressCountryCode === 'LV' && c.issuer.address.addressCountry],
    ['awarding body', 'issuer (Profile), achievement.creator', () => c.issuer.name && c.issuer.id.startsWith('did:web:') && a.creator.name],
    ['date of issue', 'validFrom, awardedDate', () => c.validFrom === ISSUED_AT && c.awardedDate === ISSUED_AT],
    ['learning outcomes', 'achievement.learningOutcome (+ ESCO alignments)', () => a.learningOutcome.length === 3 && alignments('ext:ESCOSkill').length === 2],
    ['notional workload (ECTS)', 'achievement.creditsAvailable, workloadHours', () => a.creditsAvailable === 6 && a.workloadHours === 160],
    [
      'level (EQF / national framework)',
      'EQF and LKI alignments, eqfLevel, nationalQualificationLevel',
      () =>
        alignments('ext:EQFLevel').length === 1 &&
        alignments('ext:NQFLevel').length === 1 &&
        a.eqfLevel === 5 &&
        a.nationalQualificationFramework === 'LKI' &&
        a.nationalQualificationLevel === 5,
    ],
    ['type of assessment', 'achievement.assessmentType (+ resultDescription)', () => a.assessmentType.en && a.resultDescription.length === 3],
    ['form of participation', 'achievement.participationForm', () => a.participationForm === 'online'],
    ['type of quality assurance', 'achievement.qualityAssurance', () => a.qualityAssurance.en],
  ];
  for (const [element, where, present] of elements) {
    it(`${element} → ${where}`, () => assert.ok(present(), `${element} missing at ${where}`));
  }
});

describe('buildAchievementCredential: learner privacy', () => {
  it('hashes the Moodle account and the email as sha256(value + salt), with the salt', () => {
    const [account, email] = build().credentialSubject.identifier;
    assert.deepEqual(account, {
      type: 'IdentityObject',
      identityHash: `sha256$${sha256Hex(`${PLATFORM_ISSUER}#${MOODLE_USER_ID}${SALT}`)}`,
      identityType: 'identifier',
      hashed: true,
      salt: SALT,
    });
    assert.deepEqual(email, {
      type: 'IdentityObject',
      identityHash: `sha256$${sha256Hex(`${EMAIL.toLowerCase()}${SALT}`)}`,
      identityType: 'emailAddress',
      hashed: true,
      salt: SALT,
    });
  });

  it('the salt matters: another salt gives other hashes', () => {
    const other = build(withAward({ identifierSalt: 'another-salt-0123456789' }));
    const hashes = (c: Json) => c.credentialSubject.identifier.map((i: Json) => i.identityHash);
    assert.notDeepEqual(hashes(other), hashes(build()));
  });

  it('no plain email, name or account appears anywhere unless the learner shows the name', () => {
    const text = JSON.stringify(build()).toLowerCase();
    for (const secret of [EMAIL, LEARNER_NAME, `${PLATFORM_ISSUER}#${MOODLE_USER_ID}`, 'janis.berzins']) {
      assert.ok(!text.includes(secret.toLowerCase()), `${secret} leaked`);
    }
  });

  it('with showName the name appears as an unhashed name identity and as the subject name; the email stays hashed', () => {
    const input = fullInput();
    const c = build(withAward({ learner: { ...input.award.learner, showName: true } }, input));
    assert.equal(c.credentialSubject.name, LEARNER_NAME);
    assert.deepEqual(c.credentialSubject.identifier.at(-1), {
      type: 'IdentityObject',
      identityHash: LEARNER_NAME,
      identityType: 'name',
      hashed: false,
    });
    assert.ok(!JSON.stringify(c).toLowerCase().includes(EMAIL.toLowerCase()));
  });

  it('without an email only the Moodle account is identified', () => {
    const c = build(minimalInput());
    assert.deepEqual(
      c.credentialSubject.identifier.map((i: Json) => i.identityType),
      ['identifier'],
    );
  });
});

describe('buildAchievementCredential: validity', () => {
  const cases: Array<[string, number | undefined, string | undefined]> = [
    ['2025-03-14T09:30:00Z', 36, '2028-03-14T09:30:00Z'],
    ['2024-01-31T12:00:00Z', 1, '2024-02-29T12:00:00Z'],
    ['2023-08-31T00:00:00Z', 6, '2024-02-29T00:00:00Z'],
    ['2024-12-15T23:59:59Z', 1, '2025-01-15T23:59:59Z'],
    ['2025-03-14T09:30:00.789Z', 12, '2026-03-14T09:30:00Z'],
    ['2025-03-14T09:30:00Z', undefined, undefined],
  ];
  for (const [issuedAt, months, validUntil] of cases) {
    it(`issued ${issuedAt}, valid for ${months ?? '(unset)'} months → validUntil ${validUntil ?? 'absent'}`, () => {
      const input = fullInput();
      const c = build({
        ...input,
        achievement: { ...input.achievement, validForMonths: months },
        award: { ...input.award, issuedAt: new Date(issuedAt) },
      });
      assert.equal(c.validUntil, validUntil);
      assert.equal('validUntil' in c, validUntil !== undefined);
    });
  }
});

describe('buildAchievementCredential: inconsistent input throws CREDENTIAL_INPUT_INVALID', () => {
  const cases: Array<[string, (i: BuildCredentialInput) => BuildCredentialInput, RegExp]> = [
    ['a result for an unknown assessed item', (i) => withAward({ results: [{ assessedItemId: 'quiz-9', value: '1' }] }, i), /unknown assessed item "quiz-9"/],
    ['an invalid issue date', (i) => withAward({ issuedAt: new Date('not a date') }, i), /issuedAt is not a valid date/],
    ['a short salt', (i) => withAward({ identifierSalt: 'abc' }, i), /identifierSalt/],
    [
      'two status entries',
      (i) => withAward({ credentialStatus: [...(i.award.credentialStatus ?? []), ...(i.award.credentialStatus ?? [])] }, i),
      /one status entry/,
    ],
    ['showName without a name', (i) => withAward({ learner: { ...i.award.learner, name: undefined, showName: true } }, i), /showName/],
    ['EQF level 9', (i) => ({ ...i, achievement: { ...i.achievement, eqfLevel: 9 } }), /eqfLevel must be an integer from 1 to 8/],
    [
      'an unknown national framework without URL',
      (i) => ({ ...i, achievement: { ...i.achievement, nationalFrameworkLevel: { framework: 'XQF', level: 3 } } }),
      /unknown framework "XQF"/,
    ],
    [
      'a MicroCredential without learning outcomes',
      (i) => ({ ...i, achievement: { ...i.achievement, learningOutcomes: [] } }),
      /at least one learning outcome/,
    ],
    [
      'a MicroCredential without workload',
      (i) => ({ ...i, achievement: { ...i.achievement, ectsCredits: undefined, workloadHours: undefined } }),
      /notional workload/,
    ],
    ['a bad language tag', (i) => ({ ...i, achievement: { ...i.achievement, inLanguage: ['Latvian'] } }), /"Latvian" is not a language tag/],
    ['an issuer that is not did:web', (i) => ({ ...i, issuer: { ...i.issuer, did: 'did:key:z6Mk' } }), /issuer\.did must be a did:web/],
    [
      'a country name as country code',
      (i) => ({ ...i, issuer: { ...i.issuer, address: { ...i.issuer.address, addressCountryCode: 'LVA' } } }),
      /ISO 3166-1 alpha-2/,
    ],
    ['a relative credential id', (i) => withAward({ credentialId: '/credentials/1' }, i), /credentialId must be an absolute URL/],
  ];
  for (const [what, change, message] of cases) {
    it(what, () => {
      assert.throws(
        () => buildAchievementCredential(change(fullInput())),
        (error: unknown) => {
          assert.ok(error instanceof AppError);
          assert.equal(error.code, 'CREDENTIAL_INPUT_INVALID');
          assert.equal(error.status, 422);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }
});

describe('definitionProblems (for the teacher UI, before a badge version is saved)', () => {
  it('has nothing to say about complete definitions', () => {
    assert.deepEqual(definitionProblems(microCredentialDefinition()), []);
    assert.deepEqual(definitionProblems(minimalBadgeDefinition()), []);
  });

  it('lists every problem at once', () => {
    const def = { ...microCredentialDefinition(), eqfLevel: 0, validForMonths: 1.5, imageUrl: 'logo.png' };
    assert.deepEqual(definitionProblems(def), [
      'achievement.eqfLevel must be an integer from 1 to 8',
      'achievement.imageUrl must be an absolute URL',
      'achievement.validForMonths must be a positive integer',
    ]);
  });
});

describe('buildAchievementCredential: purity', () => {
  it('the same input gives deep-equal output', () => {
    assert.deepEqual(build(fullInput()), build(fullInput()));
    assert.deepEqual(build(minimalInput()), build(minimalInput()));
  });

  it('does not mutate its (frozen) input', () => {
    const input = fullInput();
    const before = structuredClone(input);
    deepFreeze(input);
    build(input);
    build(input);
    assert.deepEqual(input, before);
  });

  it('shares no objects with its input: changing the output leaves the input alone', () => {
    const input = fullInput();
    const before = structuredClone(input);
    const c = build(input);
    c.credentialStatus.statusListIndex = '0';
    c.credentialSubject.achievement.languages.push('de');
    assert.deepEqual(input, before);
  });

  it('the context URL follows the base URL', () => {
    const c = build({ ...fullInput(), baseUrl: 'https://badges.other.example.lv' });
    assert.equal(c['@context'][3], euExtensionContextUrl('https://badges.other.example.lv'));
  });
});
