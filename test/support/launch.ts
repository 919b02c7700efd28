import request from 'supertest';
import type { LaunchKind, PlatformSimulator } from './platform-simulator';
import type { RunningTool } from './tool';

export interface LoginResult {
  state: string;
  nonce: string;
  /** Cookie header value that returns the tool's cookies, as a browser would. */
  cookie: string;
  setCookies: string[];
  location: URL;
}

/** Step 1: Moodle's login initiation POST to the tool; returns what the tool sent the browser. */
export async function initiateLogin(tool: RunningTool, sim: PlatformSimulator, userId = '4', extra: Record<string, string> = {}): Promise<LoginResult> {
  const res = await request(tool.url).post('/lti/login').type('form').send(sim.loginForm(userId, extra));
  if (res.status !== 302) throw new Error(`login initiation answered ${res.status}: ${res.text}`);
  const location = new URL(res.headers.location!);
  const setCookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return {
    state: location.searchParams.get('state')!,
    nonce: location.searchParams.get('nonce')!,
    cookie: setCookies.map((c) => c.split(';')[0]).join('; '),
    setCookies,
    location,
  };
}

/** Step 2: the browser posts the id_token and state to the launch URL. */
export function postLaunch(tool: RunningTool, idToken: string, state: string, cookie: string) {
  return request(tool.url).post('/lti/launch').set('Cookie', cookie).type('form').send({ id_token: idToken, state });
}

/** A complete, valid launch; returns the session token from the redirect. */
export async function launchAs(tool: RunningTool, sim: PlatformSimulator, kind: LaunchKind, overrides: Record<string, unknown> = {}) {
  const userId = kind === 'student' ? '4' : kind === 'admin' ? '2' : '3';
  const login = await initiateLogin(tool, sim, userId);
  const idToken = await sim.sign(sim.claims(kind, login.nonce, overrides));
  const res = await postLaunch(tool, idToken, login.state, login.cookie);
  if (res.status !== 303) throw new Error(`launch answered ${res.status}: ${res.text}`);
  const location = new URL(res.headers.location!, tool.url);
  return { res, location, token: location.searchParams.get('s')!, idToken, login };
}
