import assert from 'node:assert/strict';
import { rewriteCookie } from '../../../src/lti/partitioned-cookies';

describe('rewriteCookie (ltijs state cookie inside a cross-site iframe)', () => {
  it('adds Secure; SameSite=None; Partitioned to a cookie ltijs sets', () => {
    assert.equal(
      rewriteCookie('stateabc=s%3Ahttp%3A%2F%2Fm.example.sig; Max-Age=60; Path=/; Expires=Sat, 28 Nov 2026 12:00:00 GMT; HttpOnly; Secure; SameSite=None'),
      'stateabc=s%3Ahttp%3A%2F%2Fm.example.sig; Max-Age=60; Path=/; Expires=Sat, 28 Nov 2026 12:00:00 GMT; HttpOnly; Secure; SameSite=None; Partitioned',
    );
  });
  it('rewrites clears too, and replaces a Lax SameSite', () => {
    assert.equal(
      rewriteCookie('stateabc=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax'),
      'stateabc=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=None; Partitioned',
    );
  });
  it('does not duplicate attributes already present', () => {
    const once = rewriteCookie('a=b; Secure; SameSite=None; Partitioned');
    assert.equal(rewriteCookie(once), once);
  });
});
