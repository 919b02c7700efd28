import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseRule, RULE_LIMITS, serialiseRule, type Rule, type RuleProblem } from '../../../src/rules';

/** The problems of a rule that must not parse, as "path code" strings. */
function problemsOf(json: unknown): RuleProblem[] {
  const result = parseRule(json);
  assert.equal(result.ok, false, `expected problems for ${safeJson(json)}`);
  return result.ok ? [] : result.problems;
}

const where = (json: unknown) => problemsOf(json).map((p) => `${p.path} ${p.code}`);

function nested(depth: number): unknown {
  let rule: unknown = { type: 'courseCompleted' };
  for (let i = 1; i < depth; i++) rule = { type: 'all', rules: [rule] };
  return rule;
}

describe('rules/parseRule accepts', () => {
  const valid: Array<[string, Rule]> = [
    ['course completion', { type: 'courseCompleted' }],
    ['an activity, default states', { type: 'activityCompleted', activityId: '1' }],
    ['an activity, passed only', { type: 'activityCompleted', activityId: '1', states: ['complete-pass'] }],
    ['a section (module)', { type: 'sectionCompleted', sectionId: '3', states: ['complete', 'complete-pass'] }],
    ['a grade in percent', { type: 'grade', target: { gradeItemId: '2' }, atLeast: { percent: 50 } }],
    ['course total in points', { type: 'grade', target: { courseTotal: true }, atLeast: { points: 0 } }],
    ['pass grade', { type: 'grade', target: { gradeItemId: '2' }, atLeast: { passGrade: true } }],
    ['a stacked badge', { type: 'badgeEarned', badgeId: 'essay-writer' }],
    [
      'composites with a window',
      {
        type: 'atLeast',
        count: 2,
        rules: [
          { type: 'all', rules: [{ type: 'courseCompleted' }] },
          { type: 'any', rules: [{ type: 'badgeEarned', badgeId: 'b' }] },
          { type: 'activityCompleted', activityId: '2' },
        ],
        window: { from: '2027-01-01', until: '2027-03-31T23:59:59.5+03:00' },
      },
    ],
    ['exactly 8 levels deep', nested(8) as Rule],
  ];
  for (const [name, rule] of valid)
    it(name, () => {
      const fromJson = parseRule(JSON.parse(JSON.stringify(rule)));
      assert.deepEqual(fromJson, { ok: true, rule });
    });

  it('a rule with exactly 200 parts', () => {
    const rules = Array.from({ length: 199 }, () => ({ type: 'courseCompleted' }));
    assert.equal(parseRule({ type: 'all', rules }).ok, true);
  });
});

describe('rules/parseRule reports every problem with its path', () => {
  it('the example from the teacher page: $.rules[2].atLeast.percent', () => {
    const problems = problemsOf({
      type: 'all',
      rules: [
        { type: 'courseCompleted' },
        { type: 'activityCompleted', activityId: '1' },
        { type: 'grade', target: { gradeItemId: '2' }, atLeast: { percent: 150 } },
      ],
    });
    assert.deepEqual(problems, [{ path: '$.rules[2].atLeast.percent', code: 'out-of-range', message: 'must be a number between 0 and 100' }]);
  });

  it('several problems at once, in document order', () => {
    assert.deepEqual(
      where({
        type: 'atLeast',
        count: 5,
        rules: [
          { type: 'activityCompleted', activityId: '' },
          { type: 'grade', target: { gradeItemId: '2', courseTotal: true }, atLeast: { points: -1 } },
          { type: 'sectionCompleted', sectionId: '3', states: ['incomplete', 'complete', 'complete'] },
          { type: 'teleport' },
        ],
        colour: 'red',
      }),
      [
        '$.colour unknown-key',
        '$.rules[0].activityId empty',
        '$.rules[1].target choose-one',
        '$.rules[1].atLeast.points out-of-range',
        '$.rules[2].states[0] invalid-state',
        '$.rules[2].states[2] duplicate',
        '$.rules[3].type unknown-type',
        '$.count out-of-range',
      ],
    );
  });

  const cases: Array<[string, unknown, string[]]> = [
    ['null', null, ['$ not-an-object']],
    ['a list', [{ type: 'courseCompleted' }], ['$ not-an-object']],
    ['a string', 'courseCompleted', ['$ not-an-object']],
    ['a Date', new Date(0), ['$ not-an-object']],
    ['no type', {}, ['$.type missing']],
    ['type not text', { type: 7 }, ['$.type unknown-type']],
    ['activityId missing', { type: 'activityCompleted' }, ['$.activityId missing']],
    ['activityId a number', { type: 'activityCompleted', activityId: 1 }, ['$.activityId not-a-string']],
    ['activityId blank', { type: 'activityCompleted', activityId: '  ' }, ['$.activityId empty']],
    ['activityId too long', { type: 'activityCompleted', activityId: 'x'.repeat(101) }, ['$.activityId too-long']],
    ['states not a list', { type: 'activityCompleted', activityId: '1', states: 'complete' }, ['$.states not-a-list']],
    ['states empty', { type: 'sectionCompleted', sectionId: '1', states: [] }, ['$.states empty']],
    ['states unknown', { type: 'sectionCompleted', sectionId: '1', states: ['done', 3] }, ['$.states[0] invalid-state', '$.states[1] invalid-state']],
    ['sectionId missing', { type: 'sectionCompleted' }, ['$.sectionId missing']],
    ['badgeId missing', { type: 'badgeEarned' }, ['$.badgeId missing']],
    ['grade without target and threshold', { type: 'grade' }, ['$.target missing', '$.atLeast missing']],
    ['target empty', { type: 'grade', target: {}, atLeast: { percent: 1 } }, ['$.target missing']],
    ['target a string', { type: 'grade', target: '2', atLeast: { percent: 1 } }, ['$.target not-an-object']],
    ['courseTotal false', { type: 'grade', target: { courseTotal: false }, atLeast: { percent: 1 } }, ['$.target.courseTotal not-true']],
    ['target unknown key', { type: 'grade', target: { gradeItemId: '2', item: 3 }, atLeast: { percent: 1 } }, ['$.target.item unknown-key']],
    ['two thresholds', { type: 'grade', target: { courseTotal: true }, atLeast: { percent: 1, points: 2 } }, ['$.atLeast choose-one']],
    ['no threshold', { type: 'grade', target: { courseTotal: true }, atLeast: {} }, ['$.atLeast missing']],
    ['percent as text', { type: 'grade', target: { courseTotal: true }, atLeast: { percent: '50' } }, ['$.atLeast.percent not-a-number']],
    ['percent negative', { type: 'grade', target: { courseTotal: true }, atLeast: { percent: -0.5 } }, ['$.atLeast.percent out-of-range']],
    ['points infinite', { type: 'grade', target: { courseTotal: true }, atLeast: { points: Infinity } }, ['$.atLeast.points not-a-number']],
    ['passGrade false', { type: 'grade', target: { courseTotal: true }, atLeast: { passGrade: false } }, ['$.atLeast.passGrade not-true']],
    ['rules missing', { type: 'all' }, ['$.rules missing']],
    ['rules not a list', { type: 'any', rules: { type: 'courseCompleted' } }, ['$.rules not-a-list']],
    ['rules empty', { type: 'any', rules: [] }, ['$.rules empty']],
    ['a rule that is not an object', { type: 'all', rules: [null, 'x'] }, ['$.rules[0] not-an-object', '$.rules[1] not-an-object']],
    ['count missing', { type: 'atLeast', rules: [{ type: 'courseCompleted' }] }, ['$.count missing']],
    ['count zero', { type: 'atLeast', count: 0, rules: [{ type: 'courseCompleted' }] }, ['$.count out-of-range']],
    ['count above the rules', { type: 'atLeast', count: 2, rules: [{ type: 'courseCompleted' }] }, ['$.count out-of-range']],
    ['count fractional', { type: 'atLeast', count: 1.5, rules: [{ type: 'courseCompleted' }, { type: 'courseCompleted' }] }, ['$.count out-of-range']],
    ['count as text', { type: 'atLeast', count: '1', rules: [{ type: 'courseCompleted' }] }, ['$.count not-a-number']],
    ['window nested', { type: 'all', rules: [{ type: 'courseCompleted', window: { until: '2027-01-01' } }] }, ['$.rules[0].window window-nested']],
    ['window not an object', { type: 'courseCompleted', window: '2027' }, ['$.window not-an-object']],
    ['window empty', { type: 'courseCompleted', window: {} }, ['$.window empty']],
    ['window unknown key', { type: 'courseCompleted', window: { from: '2027-01-01', to: '2027-02-01' } }, ['$.window.to unknown-key']],
    ['window date format', { type: 'courseCompleted', window: { from: '01/02/2027' } }, ['$.window.from invalid-date']],
    ['window date-time without zone', { type: 'courseCompleted', window: { until: '2027-03-31T23:59' } }, ['$.window.until invalid-date']],
    ['window impossible date', { type: 'courseCompleted', window: { until: '2027-02-29' } }, ['$.window.until invalid-date']],
    ['window impossible time', { type: 'courseCompleted', window: { until: '2027-02-28T24:00:00Z' } }, ['$.window.until invalid-date']],
    ['window reversed', { type: 'courseCompleted', window: { from: '2027-04-01', until: '2027-03-31' } }, ['$.window window-order']],
    ['window date not text', { type: 'courseCompleted', window: { from: 20270101 } }, ['$.window.from invalid-date']],
    ['9 levels deep', nested(9), ['$.rules[0].rules[0].rules[0].rules[0].rules[0].rules[0].rules[0].rules[0] too-deep']],
    ['201 rules in one list', { type: 'all', rules: Array.from({ length: 201 }, () => ({ type: 'courseCompleted' })) }, ['$.rules too-many-parts']],
    [
      'more than 200 parts spread over lists',
      { type: 'all', rules: Array.from({ length: 15 }, () => ({ type: 'any', rules: Array.from({ length: 15 }, () => ({ type: 'courseCompleted' })) })) },
      ['$ too-many-parts'],
    ],
    ['an inherited `type` is not a setting', Object.create({ type: 'courseCompleted' }) as unknown, ['$ not-an-object']],
    ['`constructor` is an unknown key, not a setting', { type: 'courseCompleted', constructor: 'x' }, ['$.constructor unknown-key']],
    ['a key that needs quoting in the path', { type: 'courseCompleted', 'my key': 1 }, ['$["my key"] unknown-key']],
  ];
  for (const [name, json, expected] of cases) it(name, () => assert.deepEqual(where(json), expected));

  it('messages are in words a teacher understands', () => {
    const [unknownType] = problemsOf({ type: 'teleport' });
    assert.equal(
      unknownType?.message,
      '"teleport" is not a kind of rule; use one of: courseCompleted, activityCompleted, sectionCompleted, grade, badgeEarned, all, any, atLeast',
    );
    const [count] = problemsOf({ type: 'atLeast', count: 4, rules: [{ type: 'courseCompleted' }, { type: 'courseCompleted' }] });
    assert.equal(count?.message, 'must be a whole number from 1 to 2 (the number of rules listed)');
    const [key] = problemsOf({ type: 'grade', target: { courseTotal: true }, atLeast: { percent: 5 }, colour: 'red' });
    assert.equal(key?.message, '"colour" is not a setting of a grade rule; remove it');
  });

  it('`__proto__` from JSON.parse is reported, and nothing is polluted', () => {
    const json: unknown = JSON.parse('{"type":"courseCompleted","__proto__":{"polluted":true,"type":"all"}}');
    assert.deepEqual(where(json), ['$.__proto__ unknown-key']);
    const ok = parseRule(JSON.parse('{"type":"all","rules":[{"type":"courseCompleted"}]}'));
    assert.ok(ok.ok);
    assert.equal(Object.getPrototypeOf(ok.rule), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('huge strings are not echoed back', () => {
    const huge = 'x'.repeat(1_000_000);
    const problems = problemsOf({ type: huge, [huge]: 1 });
    for (const p of problems) assert.ok(p.message.length < 300 && p.path.length < 100, p.message.slice(0, 80));
  });

  it('a flood of problems is capped, with a summary of the rest', () => {
    const json: Record<string, unknown> = { type: 'courseCompleted' };
    for (let i = 0; i < 500; i++) json[`k${i}`] = i;
    const problems = problemsOf(json);
    assert.equal(problems.length, RULE_LIMITS.maxProblems + 1);
    assert.deepEqual(problems.at(-1), { path: '$', code: 'too-many-problems', message: '…and 400 more problems; fix the ones above first' });
  });

  it('a sparse list reports its holes', () => {
    const rules: unknown[] = [{ type: 'courseCompleted' }];
    rules[2] = { type: 'courseCompleted' };
    assert.deepEqual(where({ type: 'all', rules }), ['$.rules[1] not-an-object']);
  });
});

describe('rules/parseRule never throws', () => {
  it('on exotic objects: throwing getters, revoked proxies, cycles', () => {
    const getter = { type: 'courseCompleted' };
    Object.defineProperty(getter, 'activityId', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    const throwing = { type: 'activityCompleted' };
    Object.defineProperty(throwing, 'activityId', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const cycle: Record<string, unknown> = { type: 'all' };
    cycle.rules = [cycle];
    for (const input of [getter, throwing, proxy, cycle, Symbol('x'), () => 1, 10n]) {
      const result = parseRule(input);
      assert.equal(result.ok, false);
    }
    assert.deepEqual(where(throwing), ['$ unreadable']);
    assert.ok(where(cycle).some((p) => p.endsWith('too-deep')));
  });

  it('on anything fast-check can make', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withNullPrototype: true,
          withObjectString: true,
          withMap: true,
          withSet: true,
          withSparseArray: true,
          withBigInt: true,
          withDate: true,
          withBoxedValues: true,
        }),
        (input) => {
          const result = parseRule(input);
          if (!result.ok) assert.ok(result.problems.length > 0 && result.problems.length <= RULE_LIMITS.maxProblems + 1);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('on JSON shaped like rules (keys and values drawn from the rule vocabulary)', () => {
    const word = fc.constantFrom(
      'type',
      'rules',
      'count',
      'activityId',
      'sectionId',
      'states',
      'target',
      'atLeast',
      'percent',
      'points',
      'passGrade',
      'courseTotal',
      'gradeItemId',
      'badgeId',
      'window',
      'from',
      'until',
      '__proto__',
      'constructor',
    );
    const value = fc.constantFrom<unknown>(
      'all',
      'any',
      'atLeast',
      'grade',
      'courseCompleted',
      'activityCompleted',
      'complete',
      '2027-01-01',
      true,
      0,
      1,
      2,
      150,
      -1,
      null,
    );
    const ruleish = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, value, tie('object'), tie('list')),
      object: fc.dictionary(word, tie('node'), { maxKeys: 5 }),
      list: fc.array(tie('node'), { maxLength: 4 }),
    })).node;
    fc.assert(
      fc.property(ruleish, (input) => {
        const result = parseRule(input);
        // Whatever parses must survive the round trip.
        if (result.ok) assert.deepEqual(parseRule(serialiseRule(result.rule)), result);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('rules/serialiseRule', () => {
  it('writes keys in a stable order: type first, window last, whatever the input order', () => {
    const rule = {
      window: { until: '2027-03-31', from: '2027-01-01' },
      rules: [{ atLeast: { percent: 50 }, target: { gradeItemId: '2' }, type: 'grade' }],
      count: 1,
      type: 'atLeast',
    } as Rule;
    assert.equal(
      JSON.stringify(serialiseRule(rule)),
      '{"type":"atLeast","count":1,"rules":[{"type":"grade","target":{"gradeItemId":"2"},"atLeast":{"percent":50}}],"window":{"from":"2027-01-01","until":"2027-03-31"}}',
    );
  });

  it('drops properties that are not part of the language', () => {
    const rule = { type: 'courseCompleted', note: 'x' } as unknown as Rule;
    assert.deepEqual(serialiseRule(rule), { type: 'courseCompleted' });
  });
});

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value)?.slice(0, 200) ?? String(value);
  } catch {
    return '(not JSON)';
  }
}
