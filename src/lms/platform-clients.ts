import type { PlatformRegistry } from '../lti/platform-registry';
import type { Platform } from '../store/platforms';
import { createPlatformServices, type FetchLike, type PlatformServices } from './platform-services';

export interface PlatformClientsOptions {
  timeoutMs: number;
  now?: () => number;
  fetch?: FetchLike;
  /** Seconds the client assertion's iat is backdated: Moodle's token endpoint allows no clock skew (row 3). */
  iatBackdateSeconds?: number;
}

/**
 * One NRPS/AGS client per registered platform, signing client assertions with the tool's key for that
 * platform (made by ltijs at registration). Clients are kept so their access-token caches are reused.
 */
export class PlatformClients {
  private readonly clients = new Map<string, Promise<PlatformServices>>();
  constructor(
    private readonly registry: PlatformRegistry,
    private readonly options: PlatformClientsOptions,
  ) {}

  forPlatform(platform: Platform): Promise<PlatformServices> {
    // one client per registration: a site registered twice has two client ids, each with its own tool key
    const key = `${platform.id}\u0000${platform.clientId}`;
    let client = this.clients.get(key);
    if (!client) {
      client = this.registry.toolKey(platform).then((key) =>
        createPlatformServices({
          credentials: { clientId: platform.clientId, tokenEndpoint: platform.tokenEndpoint, privateKeyPem: key.privateKeyPem, kid: key.kid },
          timeoutMs: this.options.timeoutMs,
          now: this.options.now,
          fetch: this.options.fetch,
          iatBackdateSeconds: this.options.iatBackdateSeconds,
        }),
      );
      client.catch(() => this.clients.delete(key));
      this.clients.set(key, client);
    }
    return client;
  }
}
