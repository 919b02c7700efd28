import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RateLimiter } from '../../../src/http/middleware/rate-limit';
import { jsonShapeProblem, jsonTextDepth } from '../../../src/json-shape';

/** Depth by recursion, the obvious way (only for the small values generated here). */
const depthOf = (v: unknown): number => (v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v as object).map(depthOf)) : 0);

describe('JSON shape bounds', () => {
  it('the text scanner finds the depth JSON.parse would build, strings and escapes included', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 8 }), (v) => assert.equal(jsonTextDepth(JSON.stringify(v)), depthOf(v))));
    assert.equal(jsonTextDepth('{"a":"[[[\\"{{"}'), 1);
  });

  it('a value within every bound passes; one level deeper than allowed does not', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (v) => {
        assert.equal(jsonShapeProblem(v, { maxDepth: 6, maxNodes: 1e6, maxArrayItems: 1e6 }), null);
        const deeper = depthOf(v);
        if (deeper > 1) assert.equal(jsonShapeProblem(v, { maxDepth: deeper - 1, maxNodes: 1e6, maxArrayItems: 1e6 })?.code, 'JSON_TOO_DEEP');
      }),
    );
  });

  it('100,000 levels are checked without overflowing the stack; node and array bounds hold', () => {
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000));
    assert.equal(jsonShapeProblem(deep, { maxDepth: 32, maxNodes: 1e9, maxArrayItems: 10 })?.code, 'JSON_TOO_DEEP');
    assert.equal(jsonShapeProblem(Array(11).fill(0), { maxDepth: 32, maxNodes: 1e9, maxArrayItems: 10 })?.code, 'JSON_ARRAY_TOO_LONG');
    assert.equal(jsonShapeProblem({ a: [1, 2], b: { c: 3 } }, { maxDepth: 32, maxNodes: 5, maxArrayItems: 10 })?.code, 'JSON_TOO_MANY_NODES');
  });
});

describe('per-client rate limiter', () => {
  it('allows perMinute at once, then one every 60/perMinute seconds, per client', () => {
    let now = 0;
    const limiter = new RateLimiter(6, () => now);
    for (let i = 0; i < 6; i++) assert.equal(limiter.take('a'), 0);
    assert.equal(limiter.take('a'), 10);
    assert.equal(limiter.take('b'), 0);
    now += 9_999;
    assert.ok(limiter.take('a') > 0);
    now += 2;
    assert.equal(limiter.take('a'), 0);
  });
});
