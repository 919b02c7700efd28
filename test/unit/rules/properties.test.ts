import assert from 'node:assert/strict';
import fc from 'fast-check';
import { evaluate, explainDecision, parseRule, serialiseRule, type CriterionResult } from '../../../src/rules';
import { arbDate, arbImprovement, arbRule, arbRuleWithoutWindow, arbSnapshot, improve } from './arbitraries';

const RUNS = { numRuns: 500 };

describe('rules properties', () => {
  it('(a) monotone: doing more never takes away a badge earned without a window', () => {
    fc.assert(
      fc.property(arbRuleWithoutWindow, arbSnapshot, arbImprovement, arbDate, (rule, snapshot, change, now) => {
        fc.pre(evaluate(rule, snapshot, now).earned);
        const better = improve(snapshot, change);
        assert.equal(evaluate(rule, better, now).earned, true);
      }),
      { numRuns: 1000 },
    );
  });

  it('(b) round trip: serialise → parse gives the same rule and the same decision', () => {
    fc.assert(
      fc.property(arbRule, arbSnapshot, arbDate, (rule, snapshot, now) => {
        const parsed = parseRule(serialiseRule(rule));
        assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.problems));
        assert.deepEqual(parsed.rule, rule);
        assert.deepEqual(evaluate(parsed.rule, snapshot, now), evaluate(rule, snapshot, now));
      }),
      RUNS,
    );
  });

  it('(b) round trip also through a JSON string, as stored', () => {
    fc.assert(
      fc.property(arbRule, (rule) => {
        const parsed = parseRule(JSON.parse(JSON.stringify(serialiseRule(rule))));
        assert.ok(parsed.ok);
        assert.equal(JSON.stringify(serialiseRule(parsed.rule)), JSON.stringify(serialiseRule(rule)));
      }),
      RUNS,
    );
  });

  it('(c) deterministic, and leaves its inputs untouched (even when they are frozen)', () => {
    fc.assert(
      fc.property(arbRule, arbSnapshot, arbDate, (rule, snapshot, now) => {
        const before = structuredClone({ rule, snapshot, now });
        const first = evaluate(deepFreeze(rule), deepFreeze(snapshot), now);
        const second = evaluate(rule, snapshot, now);
        assert.deepEqual(first, second);
        assert.deepEqual({ rule, snapshot, now }, before);
      }),
      RUNS,
    );
  });

  it('decisions are consistent: status, progress, evidence and earnedAt agree', () => {
    fc.assert(
      fc.property(arbRule, arbSnapshot, arbDate, (rule, snapshot, now) => {
        const d = evaluate(rule, snapshot, now);
        assert.equal(d.earned, d.status === 'earned');
        assert.equal(d.progress.fraction === 1, d.earned, `fraction ${d.progress.fraction}`);
        walk(d.criteria, (node) => {
          assert.ok(node.progress.fraction >= 0 && node.progress.fraction <= 1);
          assert.equal(node.progress.fraction === 1, node.met);
          if (!node.met) assert.equal(node.metAt, null);
        });
        if (!d.earned) {
          assert.deepEqual(d.evidence, []);
          assert.equal(d.earnedAt, null);
        } else {
          const dated = d.evidence.flatMap((e) => (e.date === null ? [] : [e.date.getTime()]));
          assert.equal(d.earnedAt?.getTime() ?? null, dated.length === 0 ? null : Math.max(...dated));
        }
        if (d.status === 'closed') assert.ok(rule.window?.until !== undefined && now > d.window!.until!);
        if (d.status === 'not-started') assert.equal(d.progress.done, 0);
      }),
      RUNS,
    );
  });

  it('every decision explains itself in both languages, without gaps', () => {
    fc.assert(
      fc.property(arbRule, arbSnapshot, arbDate, (rule, snapshot, now) => {
        const d = evaluate(rule, snapshot, now);
        for (const locale of ['en', 'lv'] as const) {
          const lines = explainDecision(d, locale);
          assert.ok(lines.length >= 2);
          for (const line of lines) assert.doesNotMatch(line, /undefined|NaN|null|\[object|Infinity/);
        }
      }),
      RUNS,
    );
  });
});

function walk(node: CriterionResult, visit: (node: CriterionResult) => void): void {
  visit(node);
  for (const child of node.children) walk(child, visit);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
