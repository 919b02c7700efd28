import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildAchievementCredential } from '../../../../src/credentials/build/build-credential';
import { ANCHORED_EXTENSION_PATTERN, OFFICIAL_EXTENSION_PATTERN, anchorExtensionPatterns } from '../../../../src/credentials/schema/anchor-extension-patterns';
import formalSchema from '../../../../src/credentials/schema/ob_v3p0_achievementcredential_schema.json';
import { assertValidCredential, validateCredential } from '../../../../src/credentials/schema/validate';
import { AppError } from '../../../../src/errors';
import { cloneJson, fullInput, minimalInput } from './fixtures';

const EXAMPLES_DIR = path.join(__dirname, '../../../fixtures/ob3/examples');

/** Any credential as mutable JSON, for breaking one field. */

type Mutable = Record<string, any>;

const built = () => cloneJson(buildAchievementCredential(fullInput())) as Mutable;

function errorsOf(json: unknown) {
  const result = validateCredential(json);
  assert.equal(result.valid, false, 'expected the credential to be invalid');
  return result.valid ? [] : result.errors;
}

describe('validateCredential: formal OB 3.0 AchievementCredential schema', () => {
  const examples = readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json'));

  it('has the spec examples to check', () => assert.ok(examples.length >= 6));

  for (const file of examples) {
    it(`accepts the spec example ${file}`, () => {
      const json: unknown = JSON.parse(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));
      assert.deepEqual(validateCredential(json), { valid: true });
    });
  }

  it('accepts a built Latvian micro-credential (EQF 5, LKI 5, 6 ECTS, ESCO)', () => {
    assert.deepEqual(validateCredential(buildAchievementCredential(fullInput())), { valid: true });
  });

  it('accepts a built minimal Badge', () => {
    assert.deepEqual(validateCredential(buildAchievementCredential(minimalInput())), { valid: true });
  });

  const negatives: Array<[string, (c: Mutable) => void, string, RegExp]> = [
    ['achievement without a name', (c) => delete c.credentialSubject.achievement.name, '/credentialSubject/achievement/name', /is required/],
    ['credential without validFrom', (c) => delete c.validFrom, '/validFrom', /is required/],
    [
      'alignment targetType outside the enum and without ext:',
      (c) => (c.credentialSubject.achievement.alignment[0].targetType = 'ESCOSkill'),
      '/credentialSubject/achievement/alignment/0/targetType',
      /must be one of "ceasn:Competency".* or an extension value "ext:<Name>"/,
    ],
    [
      'alignment targetType that only contains "ext:" (accepted by the unanchored official pattern)',
      (c) => (c.credentialSubject.achievement.alignment[0].targetType = 'Skill ext:ESCOSkill'),
      '/credentialSubject/achievement/alignment/0/targetType',
      /extension value/,
    ],
    ['validFrom that is not a date-time', (c) => (c.validFrom = '14.03.2025'), '/validFrom', /must be a valid date-time/],
    ['validUntil on an impossible date', (c) => (c.validUntil = '2025-02-30T00:00:00Z'), '/validUntil', /date-time/],
    [
      'type without OpenBadgeCredential',
      (c) => (c.type = ['VerifiableCredential', 'MicroCredential']),
      '/type',
      /must contain "AchievementCredential" or "OpenBadgeCredential"/,
    ],
    ['type without VerifiableCredential', (c) => (c.type = ['OpenBadgeCredential']), '/type', /"VerifiableCredential"/],
    [
      '@context without the OB context',
      (c) => (c['@context'] = ['https://www.w3.org/ns/credentials/v2', 'https://example.org/ctx']),
      '/@context/1',
      /must match/,
    ],
    ['issuer Profile without type', (c) => delete c.issuer.type, '/issuer/type', /is required/],
    ['issuer that is neither a URI nor a Profile', (c) => (c.issuer = 42), '/issuer', /must be string or object/],
    [
      'issuer identifierType that is not allowed',
      (c) => (c.issuer.otherIdentifier[1].identifierType = 'registrationNumber'),
      '/issuer/otherIdentifier/1/identifierType',
      /must be one of "name"/,
    ],
    [
      'IdentityObject with an extra field',
      (c) => (c.credentialSubject.identifier[0].email = 'x@y.lv'),
      '/credentialSubject/identifier/0/email',
      /is not allowed/,
    ],
    [
      'result status that OB does not define',
      (c) => (c.credentialSubject.result[0].status = 'Passed'),
      '/credentialSubject/result/0/status',
      /must be one of "Completed"/,
    ],
    [
      'achievementType that OB does not define',
      (c) => (c.credentialSubject.achievement.achievementType = 'Microcredential'),
      '/credentialSubject/achievement/achievementType',
      /must be one of/,
    ],
    ['image without type', (c) => delete c.credentialSubject.achievement.image.type, '/credentialSubject/achievement/image/type', /is required/],
    ['credentialStatus as an array', (c) => (c.credentialStatus = [c.credentialStatus]), '/credentialStatus', /must be object/],
    [
      'credentialSchema type without the 1EdTech extensions context',
      (c) => (c['@context'] = (c['@context'] as string[]).filter((u) => !u.endsWith('/extensions.json'))),
      '/credentialSchema/0/type',
      /needs "https:\/\/purl\.imsglobal\.org\/spec\/ob\/v3p0\/extensions\.json" in @context/,
    ],
  ];
  for (const [what, breakIt, expectedPath, expectedMessage] of negatives) {
    it(`rejects ${what}, naming ${expectedPath}`, () => {
      const credential = built();
      breakIt(credential);
      const errors = errorsOf(credential);
      const atPath = errors.filter((e) => e.path === expectedPath);
      assert.ok(atPath.length > 0, `no error at ${expectedPath}; got ${JSON.stringify(errors)}`);
      assert.ok(
        atPath.some((e) => expectedMessage.test(e.message)),
        `message at ${expectedPath}: ${JSON.stringify(atPath)}`,
      );
      // The parent's oneOf noise ("must be string", "must match exactly one schema") is gone.
      assert.ok(!errors.some((e) => /exactly one schema/.test(e.message)), JSON.stringify(errors));
    });
  }

  it('reports a failed "contains" once, not once per item', () => {
    const credential = built();
    credential.type = ['VerifiableCredential', 'Badge'];
    assert.deepEqual(errorsOf(credential), [{ path: '/type', message: 'must contain "AchievementCredential" or "OpenBadgeCredential"' }]);
  });

  it('reports a non-object at the root', () => {
    assert.deepEqual(errorsOf('not a credential'), [{ path: '', message: 'must be object' }]);
  });

  it('reports every problem, not just the first', () => {
    const credential = built();
    delete credential.validFrom;
    credential.credentialSubject.achievement.alignment[0].targetType = 'ESCOSkill';
    const paths = errorsOf(credential).map((e) => e.path);
    assert.ok(paths.includes('/validFrom') && paths.includes('/credentialSubject/achievement/alignment/0/targetType'));
  });
});

describe('assertValidCredential', () => {
  it('passes a valid credential', () => {
    assert.doesNotThrow(() => assertValidCredential(buildAchievementCredential(fullInput())));
  });

  it('throws CREDENTIAL_SCHEMA_INVALID (422) naming each field', () => {
    const credential = built();
    delete credential.credentialSubject.achievement.name;
    credential.validFrom = 'soon';
    assert.throws(
      () => assertValidCredential(credential),
      (error: unknown) => {
        assert.ok(error instanceof AppError);
        assert.equal(error.code, 'CREDENTIAL_SCHEMA_INVALID');
        assert.equal(error.status, 422);
        assert.match(error.message, /^The credential does not match the Open Badges 3\.0 schema: /);
        assert.match(error.message, /\/credentialSubject\/achievement\/name is required/);
        assert.match(error.message, /\/validFrom must be a valid date-time/);
        assert.ok(Array.isArray((error.details as { errors: unknown[] }).errors));
        return true;
      },
    );
  });
});

describe('anchorExtensionPatterns', () => {
  it('anchors the official ext: pattern everywhere (targetType, achievementType, resultType, identity and identifier types)', () => {
    const count = (schema: unknown, pattern: string) => JSON.stringify(schema).split(JSON.stringify(pattern)).length - 1;
    const anchored = anchorExtensionPatterns(formalSchema);
    assert.ok(count(formalSchema, OFFICIAL_EXTENSION_PATTERN) >= 5);
    assert.equal(count(anchored, OFFICIAL_EXTENSION_PATTERN), 0);
    assert.equal(count(anchored, ANCHORED_EXTENSION_PATTERN), count(formalSchema, OFFICIAL_EXTENSION_PATTERN));
  });

  it('does not change the imported schema', () => {
    const before = JSON.stringify(formalSchema);
    anchorExtensionPatterns(formalSchema);
    assert.equal(JSON.stringify(formalSchema), before);
  });

  const values: Array<[string, boolean, boolean]> = [
    ['ext:ESCOSkill', true, true],
    ['ext:NQF-Level.v1', true, true],
    ['Skill ext:ESCOSkill', true, false],
    ['notext:Skill', true, false],
    ['ext:', false, false],
    ['ESCOSkill', false, false],
  ];
  for (const [value, official, anchored] of values) {
    it(`"${value}": official pattern ${official ? 'accepts' : 'rejects'}, anchored ${anchored ? 'accepts' : 'rejects'}`, () => {
      assert.equal(new RegExp(OFFICIAL_EXTENSION_PATTERN, 'u').test(value), official);
      assert.equal(new RegExp(ANCHORED_EXTENSION_PATTERN, 'u').test(value), anchored);
    });
  }
});
