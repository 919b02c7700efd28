import assert from 'node:assert/strict';
import { loadConfig } from '../../../src/config';

const secrets = {
  LTI_ENCRYPTION_KEY: 'x'.repeat(32),
  ISSUER_KEY_ENCRYPTION_KEY: 'y'.repeat(32),
  SESSION_SECRET: 'z'.repeat(32),
};

describe('loadConfig', () => {
  it('development runs with throw-away secrets and says so', () => {
    const r = loadConfig({ NODE_ENV: 'development' });
    assert.ok(r.ok);
    if (!r.ok) return;
    assert.equal(r.config.publicUrl, 'http://localhost:3000');
    assert.equal(r.warnings.length, 3);
    assert.match(r.warnings[0]!, /LTI_ENCRYPTION_KEY is not set/);
    assert.equal(r.config.lti.tokenMaxAgeSeconds, 60);
    assert.ok(Object.isFrozen(r.config.lti));
  });

  it('production without secrets or URL reports every problem at once, naming the variables', () => {
    const r = loadConfig({ NODE_ENV: 'production' });
    assert.equal(r.ok, false);
    if (r.ok) return;
    const text = r.problems.join('\n');
    for (const name of ['PUBLIC_URL', 'LTI_ENCRYPTION_KEY', 'ISSUER_KEY_ENCRYPTION_KEY', 'SESSION_SECRET'])
      assert.match(text, new RegExp(`${name} is required`));
  });

  it('rejects short secrets, bad numbers, too short a token age and a bad MongoDB URI together', () => {
    const r = loadConfig({
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://badges.example.edu',
      ...secrets,
      SESSION_SECRET: 'short',
      PORT: 'eighty',
      LTI_TOKEN_MAX_AGE_SECONDS: '10',
      MONGODB_URI: 'postgres://x',
    });
    assert.equal(r.ok, false);
    if (r.ok) return;
    const text = r.problems.join('\n');
    assert.match(text, /SESSION_SECRET: must be at least 32 characters/);
    assert.match(text, /PORT:/);
    assert.match(text, /LTI_TOKEN_MAX_AGE_SECONDS: must be at least 60/);
    assert.match(text, /MONGODB_URI: must start with mongodb/);
    assert.equal(r.problems.length, 4);
  });

  it('production needs https and accepts a complete configuration', () => {
    const http = loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'http://badges.example.edu', ...secrets });
    assert.equal(http.ok, false);
    const ok = loadConfig({
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://badges.example.edu/',
      ...secrets,
      REGISTRARS: 'https://moodle.example.edu|2, https://moodle.example.edu|17',
      LTI_DYNREG_ALLOWED_ISSUERS: 'https://moodle.example.edu',
    });
    assert.ok(ok.ok);
    if (!ok.ok) return;
    assert.equal(ok.config.publicUrl, 'https://badges.example.edu');
    assert.equal(ok.config.lti.allowInsecurePlatforms, false);
    assert.deepEqual(ok.config.registrars, [
      { issuer: 'https://moodle.example.edu', userId: '2' },
      { issuer: 'https://moodle.example.edu', userId: '17' },
    ]);
  });

  it('bulk issuance settings: defaults, and out-of-range values named by their variables', () => {
    const ok = loadConfig({ NODE_ENV: 'development' });
    assert.ok(ok.ok);
    if (ok.ok) assert.deepEqual([ok.config.issuance.batchSize, ok.config.issuance.jobStaleSeconds], [200, 60]);
    const bad = loadConfig({ NODE_ENV: 'development', ISSUANCE_BATCH_SIZE: '0', ISSUANCE_JOB_STALE_SECONDS: 'soon' });
    assert.equal(bad.ok, false);
    if (bad.ok) return;
    assert.match(bad.problems.join('\n'), /ISSUANCE_BATCH_SIZE:/);
    assert.match(bad.problems.join('\n'), /ISSUANCE_JOB_STALE_SECONDS:/);
  });

  it('an unknown NODE_ENV is reported', () => {
    const r = loadConfig({ NODE_ENV: 'staging', ...secrets, PUBLIC_URL: 'https://x.example' });
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.problems.join(), /NODE_ENV/);
  });
});
