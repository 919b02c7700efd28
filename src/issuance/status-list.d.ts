declare module '@digitalbazaar/vc-bitstring-status-list' {
  export interface BitstringList {
    setStatus(index: number, value: boolean): void;
    getStatus(index: number): boolean;
    encode(): Promise<string>;
  }
  export function createList(options: { length: number }): Promise<BitstringList>;
  export function decodeList(options: { encodedList: string }): Promise<BitstringList>;
  export function createCredential(options: { id: string; list: BitstringList; statusPurpose: string }): Promise<Record<string, unknown>>;
}
