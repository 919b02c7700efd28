import assert from 'node:assert/strict';
import request from 'supertest';
import { platformCommand } from '../../src/cli/platforms';
import { launchAs } from '../support/launch';
import { PlatformSimulator } from '../support/platform-simulator';
import { startTool, type RunningTool } from '../support/tool';

describe('CLI: manual platform registration', () => {
  let sim: PlatformSimulator;
  let tool: RunningTool;
  let out: string[];
  let err: string[];
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
  const run = (...args: string[]) => platformCommand(args, tool.registry, io);

  beforeEach(() => {
    out = [];
    err = [];
  });
  before(async () => {
    sim = await PlatformSimulator.start();
    tool = await startTool();
    sim.toolUrl = tool.url;
  });
  after(async () => {
    await tool.stop();
    await sim.stop();
  });

  it('add → list → launch → remove', async () => {
    const code = await run(
      'add',
      '--issuer',
      sim.issuer,
      `--client-id=${sim.clientId}`,
      '--auth-url',
      sim.authUrl,
      '--token-url',
      sim.tokenUrl,
      '--jwks-url',
      sim.jwksUrl,
      '--deployment',
      '1',
      '--deployment',
      '3',
      '--name',
      'Test Moodle',
    );
    assert.equal(code, 0, err.join('\n'));
    assert.match(out[0]!, /Registered .* deployments 1,3/);
    await run('list');
    assert.match(out[1]!, new RegExp(`${sim.issuer.replace(/\./g, '\\.')}  client ${sim.clientId}  deployments 1,3  \\(manual, Test Moodle\\)`));
    const { res } = await launchAs(tool, sim, 'teacher');
    assert.equal(res.status, 303);
    assert.equal(await run('remove', '--issuer', sim.issuer, `--client-id=${sim.clientId}`), 0);
    await run('list');
    assert.match(out.at(-1)!, /No platforms are registered/);
    const login = await request(tool.url).post('/lti/login').type('form').send(sim.loginForm('3')).set('Accept', 'application/json');
    assert.equal(login.status, 400, 'a removed platform can no longer launch');
  });

  it('a client id that starts with "-" is given as --client-id=-…; without "=" it is a usage error, not a crash', async () => {
    const base = [
      '--issuer',
      'https://moodle.dash.example',
      '--auth-url',
      'https://moodle.dash.example/auth',
      '--token-url',
      'https://moodle.dash.example/token',
      '--jwks-url',
      'https://moodle.dash.example/jwks',
      '--deployment',
      '1',
    ];
    assert.equal(await run('add', ...base, '--client-id', '-Ab3'), 2);
    assert.match(err.join('\n'), /--client-id' argument is ambiguous[\s\S]*Usage:/);
    assert.equal(await run('add', ...base, '--client-id=-Ab3'), 0, err.join('\n'));
    assert.match(out.at(-1)!, /Registered https:\/\/moodle\.dash\.example \(client -Ab3/);
    assert.equal(await run('remove', '--issuer', 'https://moodle.dash.example', '--client-id=-Ab3'), 0);
  });

  it('missing options are named, with usage, and nothing is stored', async () => {
    assert.equal(await run('add', '--issuer', sim.issuer), 2);
    assert.match(err[0]!, /Missing: --client-id, --auth-url, --token-url, --jwks-url, --deployment/);
    assert.equal((await tool.registry.list()).length, 0);
  });

  it('invalid URLs are refused with the reason', async () => {
    await assert.rejects(
      run(
        'add',
        '--issuer',
        'not a url',
        '--client-id',
        'c',
        '--auth-url',
        sim.authUrl,
        '--token-url',
        sim.tokenUrl,
        '--jwks-url',
        sim.jwksUrl,
        '--deployment',
        '1',
      ),
      /issuer is not a URL/,
    );
  });
});
