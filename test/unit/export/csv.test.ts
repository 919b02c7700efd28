import assert from 'node:assert/strict';
import fc from 'fast-check';
import { stringify } from 'csv-stringify/sync';
import { CSV_OPTIONS, UTF8_BOM } from '../../../src/export/csv-field';
import { csvWriter, CSV_COLUMNS } from '../../../src/export/csv';
import type { ExportRecord } from '../../../src/export/source';
import { csvObjects, parseCsv } from './csv-parse';

/** One record and one cell with the export's options, as its writer stringifies them. */
const csvRecord = (fields: readonly unknown[]) => stringify([fields], CSV_OPTIONS);
const csvField = (value: unknown) => csvRecord([value]).slice(0, -2);

// what a spreadsheet may run as a formula, full-width forms included
const FORMULA_START = /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;

function record(overrides: Partial<ExportRecord> = {}, achievement: Record<string, unknown> = {}): ExportRecord {
  return {
    id: '11111111-2222-4333-8444-555555555555',
    platformId: 'p'.repeat(24),
    courseId: '2',
    userId: '4',
    badgeId: 'b'.repeat(24),
    badgeVersion: 1,
    status: 'active',
    statusReason: null,
    achievementName: 'Academic writing',
    issuedAt: new Date('2026-11-20T10:00:00Z'),
    json: {
      id: 'https://tool.example/credentials/11111111-2222-4333-8444-555555555555',
      validFrom: '2026-11-20T10:00:00Z',
      issuer: {
        id: 'did:web:tool.example',
        name: 'University of Latvia',
        nameLocalized: { en: 'University of Latvia', lv: 'Latvijas Universitāte' },
        address: { addressCountry: 'Latvia', addressCountryCode: 'LV' },
      },
      credentialSubject: {
        achievement: {
          name: 'Academic writing',
          nameLocalized: { en: 'Academic writing', lv: 'Akadēmiskā rakstīšana' },
          creditsAvailable: 6,
          workloadHours: 160,
          eqfLevel: 5,
          nationalQualificationFramework: 'LKI',
          nationalQualificationLevel: 5,
          assessmentType: { en: 'Graded written assignments', lv: 'Vērtēti rakstu darbi' },
          participationForm: 'online',
          qualityAssurance: { en: 'Internal QA', lv: 'Iekšējā kvalitātes nodrošināšana' },
          languages: ['lv', 'en'],
          learningOutcome: [
            { statement: { en: 'Structure an argument', lv: 'Strukturēt argumentāciju' } },
            { statement: { en: 'Cite sources', lv: 'Citēt avotus' } },
          ],
          ...achievement,
        },
      },
    },
    ...overrides,
  };
}

async function writeCsv(records: ExportRecord[], lang: 'en' | 'lv' = 'en') {
  let out = '';
  for await (const chunk of csvWriter({ publicUrl: 'https://tool.example', lang })(
    (async function* () {
      yield* records;
    })(),
  ))
    out += chunk;
  return out;
}

describe('CSV export: fields', () => {
  for (const bad of [
    '=cmd',
    '+1',
    '-1',
    '@x',
    '\uFF1Dcmd',
    '\uFF0B1',
    '=HYPERLINK("http://evil.example","x")',
    '\tcmd',
    '\rcmd',
    '\ncmd',
    "=cmd|' /C calc'!A0",
  ]) {
    it(`neutralises a cell starting with ${JSON.stringify(bad.slice(0, 1))} (${JSON.stringify(bad)})`, () => {
      const cell = csvField(bad);
      const [[value]] = parseCsv(cell + '\r\n') as [[string]];
      assert.equal(value, `'${bad}`);
      assert.doesNotMatch(value, FORMULA_START);
    });
  }

  for (const ok of ['Academic writing', 'Akadēmiskā rakstīšana', '1', '6', 'a=b', 'x-1', 'mail@x', "'already quoted", '']) {
    it(`leaves a harmless value unchanged: ${JSON.stringify(ok)}`, () => {
      assert.deepEqual(parseCsv(csvField(ok) + '\r\n'), [[ok]]);
    });
  }

  it('quotes per RFC 4180: commas, quotes and line breaks; null and undefined are empty', () => {
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\r\nlines'), '"two\r\nlines"');
    assert.equal(csvField(null), '');
    assert.equal(csvField(undefined), '');
    assert.equal(csvField(6), '6');
    assert.equal(csvField(new Date('2026-01-02T03:04:05Z')), '2026-01-02T03:04:05.000Z');
    assert.equal(csvRecord(['a', 'b,c', '=1']), 'a,"b,c",\'=1\r\n');
  });

  it('property: any value survives a round trip (apart from the apostrophe) and never starts a formula', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 6 }), (values) => {
        const [parsed] = parseCsv(csvRecord(values));
        assert.equal(parsed!.length, values.length);
        parsed!.forEach((cell, i) => {
          assert.doesNotMatch(cell, FORMULA_START);
          assert.equal(cell, FORMULA_START.test(values[i]!) ? `'${values[i]}` : values[i]);
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('CSV export: writer', () => {
  it('starts with the UTF-8 BOM and the header, then one row per credential with the EU elements', async () => {
    const text = await writeCsv([record()], 'lv');
    assert.ok(text.startsWith(UTF8_BOM + 'credential_id,credential_url,status,'));
    assert.ok(
      Buffer.from(text, 'utf8')
        .subarray(0, 3)
        .equals(Buffer.from([0xef, 0xbb, 0xbf])),
    );
    const [row] = csvObjects(text);
    assert.deepEqual(
      Object.keys(row!),
      CSV_COLUMNS.map((c) => c.header),
    );
    assert.equal(row!.title, 'Akadēmiskā rakstīšana');
    assert.equal(row!.awarding_body, 'Latvijas Universitāte');
    assert.equal(row!.country, 'Latvia');
    assert.equal(row!.country_code, 'LV');
    assert.equal(row!.date_of_issue, '2026-11-20');
    assert.equal(row!.learning_outcomes, 'Strukturēt argumentāciju; Citēt avotus');
    assert.equal(row!.ects_credits, '6');
    assert.equal(row!.workload_hours, '160');
    assert.equal(row!.eqf_level, '5');
    assert.equal(row!.national_framework, 'LKI');
    assert.equal(row!.national_level, '5');
    assert.equal(row!.assessment_type, 'Vērtēti rakstu darbi');
    assert.equal(row!.participation_form, 'online');
    assert.equal(row!.quality_assurance, 'Iekšējā kvalitātes nodrošināšana');
    assert.equal(row!.languages, 'lv, en');
    assert.equal(row!.credential_url, 'https://tool.example/credentials/11111111-2222-4333-8444-555555555555');
    assert.equal(row!.learner_moodle_user_id, '4');
    assert.equal(row!.issued_at, '2026-11-20T10:00:00.000Z');
  });

  it('English columns by default', async () => {
    const [row] = csvObjects(await writeCsv([record()]));
    assert.equal(row!.title, 'Academic writing');
    assert.equal(row!.learning_outcomes, 'Structure an argument; Cite sources');
  });

  it('neutralises formulas from any source: badge name, outcomes, assessment type, status reason, learner id', async () => {
    const hostile = record(
      { userId: '-1', status: 'revoked', statusReason: '@SUM(1+1)*cmd|" /C calc"!A0' },
      {
        name: '=cmd',
        nameLocalized: { en: '=cmd' },
        learningOutcome: [{ statement: { en: '+1' } }],
        assessmentType: { en: '-1' },
        qualityAssurance: { en: '@x' },
      },
    );
    const [row] = csvObjects(await writeCsv([hostile]));
    assert.equal(row!.title, "'=cmd");
    assert.equal(row!.learning_outcomes, "'+1");
    assert.equal(row!.assessment_type, "'-1");
    assert.equal(row!.quality_assurance, "'@x");
    assert.equal(row!.status_reason, `'@SUM(1+1)*cmd|" /C calc"!A0`);
    assert.equal(row!.learner_moodle_user_id, "'-1");
    for (const v of Object.values(row!)) assert.doesNotMatch(v, FORMULA_START);
  });

  it('an empty export is the BOM and the header only', async () => {
    const text = await writeCsv([]);
    assert.equal(csvObjects(text).length, 0);
    assert.equal(parseCsv(text.slice(1)).length, 1);
  });

  it('a credential without EU elements gives empty cells, not "null" or "undefined"', async () => {
    const [row] = csvObjects(
      await writeCsv([
        record(
          {},
          {
            creditsAvailable: undefined,
            workloadHours: undefined,
            eqfLevel: undefined,
            nationalQualificationLevel: undefined,
            participationForm: undefined,
            assessmentType: undefined,
            qualityAssurance: undefined,
            learningOutcome: undefined,
            languages: undefined,
          },
        ),
      ]),
    );
    for (const k of [
      'ects_credits',
      'workload_hours',
      'eqf_level',
      'national_framework',
      'national_level',
      'participation_form',
      'assessment_type',
      'quality_assurance',
      'learning_outcomes',
      'languages',
    ])
      assert.equal(row![k], '', k);
    assert.ok(!Object.values(row!).some((v) => v === 'null' || v === 'undefined'));
  });
});
