export { signDataIntegrity, type SignDataIntegrityOptions } from './sign-data-integrity';
export { signVcJwt, type SignVcJwtOptions } from './sign-vc-jwt';
export { verifyCredential } from './verify';
export type { CheckName, CredentialStatusResult, IssuerKeyResolver, VerificationCheck, VerificationResult, VerifyOptions } from './verification-result';
