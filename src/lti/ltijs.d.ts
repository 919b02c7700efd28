declare module 'ltijs' {
  export const Provider: { constructor: new () => LtijsProvider };
  export interface LtijsPlatform {
    platformId(): Promise<string>;
    platformKid(): Promise<string>;
    platformPrivateKey(): Promise<string>;
    platformActive(active?: boolean): Promise<boolean>;
    platformClientId(): Promise<string>;
  }
  export interface LtijsProvider {
    app: import('express').Express;
    setup(encryptionKey: string, database: { plugin: unknown }, options: Record<string, unknown>): LtijsProvider;
    onConnect(cb: (token: unknown, req: any, res: any, next: any) => unknown): void;
    onDeepLinking(cb: (token: unknown, req: any, res: any, next: any) => unknown): void;
    onInvalidToken(cb: (req: any, res: any, next: any) => unknown): void;
    onSessionTimeout(cb: (req: any, res: any, next: any) => unknown): void;
    onUnregisteredPlatform(cb: (req: any, res: any) => unknown): void;
    onInactivePlatform(cb: (req: any, res: any) => unknown): void;
    registerPlatform(p: Record<string, unknown>): Promise<LtijsPlatform>;
    getPlatform(url: string, clientId: string): Promise<LtijsPlatform | false>;
    deletePlatform(url: string, clientId: string): Promise<boolean>;
  }
}
