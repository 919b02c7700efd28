import type { LtijsProvider } from 'ltijs';
import { AppError } from '../errors';
import type { NewPlatform, Platform, PlatformRepository } from '../store/platforms';

export interface ToolKey {
  kid: string;
  privateKeyPem: string;
}

/**
 * Registers Moodle sites (tenants) in both places that must agree: ltijs (which makes the tool's key pair
 * for that platform) and the product's platform registry (deployments, how it was registered).
 */
export class PlatformRegistry {
  constructor(
    private readonly ltijs: LtijsProvider,
    private readonly platforms: PlatformRepository,
    private readonly onChange: () => Promise<void> = async () => undefined,
  ) {}

  async register(p: NewPlatform): Promise<Platform> {
    validatePlatformUrls(p);
    const registered = await this.ltijs.registerPlatform({
      url: p.issuer,
      clientId: p.clientId,
      name: p.name,
      authenticationEndpoint: p.authEndpoint,
      accesstokenEndpoint: p.tokenEndpoint,
      authorizationServer: p.tokenEndpoint,
      authConfig: { method: 'JWK_SET', key: p.jwksUrl },
    });
    // ltijs 5.9.9 leaves dynamically registered platforms inactive (row 8); a platform registered here is
    // active on the tool's side at once: Moodle keeps its own copy Pending until the admin activates it.
    await registered.platformActive(true);
    const platform = await this.platforms.upsert(p);
    await this.onChange();
    return platform;
  }

  async remove(issuer: string, clientId: string): Promise<boolean> {
    const removed = await this.platforms.remove(issuer, clientId);
    await this.ltijs.deletePlatform(issuer, clientId).catch(() => false);
    await this.onChange();
    return removed;
  }

  list(): Promise<Platform[]> {
    return this.platforms.list();
  }

  /** The tool's signing key for this platform (client assertions, deep linking responses). */
  async toolKey(platform: Pick<Platform, 'issuer' | 'clientId'>): Promise<ToolKey> {
    const p = await this.ltijs.getPlatform(platform.issuer, platform.clientId);
    if (!p) throw new AppError('LTI_PLATFORM_UNKNOWN', 'The platform has no tool key.', { status: 404 });
    return { kid: await p.platformKid(), privateKeyPem: await p.platformPrivateKey() };
  }
}

function validatePlatformUrls(p: NewPlatform) {
  const problems: string[] = [];
  for (const [name, value] of Object.entries({ issuer: p.issuer, authEndpoint: p.authEndpoint, tokenEndpoint: p.tokenEndpoint, jwksUrl: p.jwksUrl })) {
    try {
      const u = new URL(value);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') problems.push(`${name} must be an http(s) URL`);
    } catch {
      problems.push(`${name} is not a URL: ${value}`);
    }
  }
  if (!p.clientId) problems.push('clientId is required');
  if (p.deploymentIds.length === 0) problems.push('at least one deployment id is required');
  if (problems.length)
    throw new AppError('PLATFORM_INVALID', `The platform registration is invalid: ${problems.join('; ')}.`, { status: 400, details: { problems } });
}
