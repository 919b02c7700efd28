/**
 * Typed access to the Digital Bazaar libraries, which ship ESM without type declarations. `require()` of ESM works
 * on Node >= 20.19; typing them here (rather than with ambient `declare module`) keeps the declarations local and
 * limited to what this folder uses.
 */
import type { DocumentLoader } from '../contexts/document-loader';

export type JsonObject = Record<string, unknown>;

export interface Cryptosuite {
  readonly name: string;
  readonly requiredAlgorithm: string;
  canonize(input: unknown, options: { documentLoader: DocumentLoader; [k: string]: unknown }): Promise<string>;
}

export interface DataIntegritySignerLike {
  readonly id: string;
  readonly algorithm: string;
  sign(input: { data: Uint8Array }): Promise<Uint8Array>;
}

export interface DataIntegrityProofSuite {
  readonly verificationMethod?: string;
}

interface DataIntegrityModule {
  DataIntegrityProof: new (options: { cryptosuite: Cryptosuite; signer?: DataIntegritySignerLike; date?: Date | string | number }) => DataIntegrityProofSuite;
}

export interface VcVerifyResult {
  verified: boolean;
  error?: unknown;
  results?: Array<{ verified: boolean; error?: unknown }>;
}

interface VcModule {
  issue(options: { credential: JsonObject; suite: DataIntegrityProofSuite; documentLoader: DocumentLoader; now?: Date }): Promise<JsonObject>;
  verifyCredential(options: {
    credential: JsonObject;
    suite: DataIntegrityProofSuite | DataIntegrityProofSuite[];
    documentLoader: DocumentLoader;
    now?: Date;
    maxClockSkew?: number;
    checkStatus?: () => Promise<{ verified: boolean }>;
  }): Promise<VcVerifyResult>;
  /** Throws when the credential is not a well-formed VC (context, type, issuer, subject, date formats). */
  _checkCredential(options: { credential: JsonObject; now?: Date; mode?: 'issue' | 'verify'; maxClockSkew?: number }): void;
}

export const vc: VcModule = require('@digitalbazaar/vc');
export const { DataIntegrityProof }: DataIntegrityModule = require('@digitalbazaar/data-integrity');
export const eddsaRdfc2022: Cryptosuite = require('@digitalbazaar/eddsa-rdfc-2022-cryptosuite').cryptosuite;
