import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';

/**
 * One cached remote key set per platform JWKS URL. An unknown `kid` makes jose fetch the set again
 * (after a cooldown), so a platform's key rotation is picked up without a restart.
 */
export class PlatformKeySets {
  private readonly sets = new Map<string, JWTVerifyGetKey>();
  constructor(private readonly options: { cacheMaxAgeMs: number; cooldownMs: number; timeoutMs: number }) {}

  forUrl(url: string): JWTVerifyGetKey {
    let set = this.sets.get(url);
    if (!set) {
      set = createRemoteJWKSet(new URL(url), {
        cacheMaxAge: this.options.cacheMaxAgeMs,
        cooldownDuration: this.options.cooldownMs,
        timeoutDuration: this.options.timeoutMs,
      });
      this.sets.set(url, set);
    }
    return set;
  }

  forget(url: string) {
    this.sets.delete(url);
  }
}
