/**
 * Multikey encoding of Ed25519 public keys: multibase base58-btc ('z') of the multicodec header 0xed 0x01 followed
 * by the 32 raw key bytes, which is why every such key starts with "z6Mk".
 */
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const ED25519_PUB_HEADER = Uint8Array.of(0xed, 0x01);

export function base58btcEncode(bytes: Uint8Array): string {
  const digits: number[] = [];
  for (const byte of bytes) {
    let carry = byte;
    for (let i = 0; i < digits.length; i++) {
      carry += digits[i]! << 8;
      digits[i] = carry % 58;
      carry = Math.floor(carry / 58);
    }
    while (carry > 0) {
      digits.push(carry % 58);
      carry = Math.floor(carry / 58);
    }
  }
  let out = '';
  for (const byte of bytes) {
    if (byte !== 0) break;
    out += '1'; // each leading zero byte is one leading '1'
  }
  for (let i = digits.length - 1; i >= 0; i--) out += ALPHABET[digits[i]!];
  return out;
}

export function base58btcDecode(text: string): Uint8Array | null {
  const bytes: number[] = [];
  for (const ch of text) {
    const value = ALPHABET.indexOf(ch);
    if (value < 0) return null;
    let carry = value;
    for (let i = 0; i < bytes.length; i++) {
      carry += bytes[i]! * 58;
      bytes[i] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  let zeros = 0;
  while (text[zeros] === '1') zeros++;
  return Uint8Array.from([...new Array<number>(zeros).fill(0), ...bytes.reverse()]);
}

export function ed25519PublicKeyMultibase(rawPublicKey: Uint8Array): string {
  if (rawPublicKey.length !== 32) throw new Error('An Ed25519 public key has 32 bytes');
  const bytes = new Uint8Array(34);
  bytes.set(ED25519_PUB_HEADER, 0);
  bytes.set(rawPublicKey, 2);
  return `z${base58btcEncode(bytes)}`;
}

/** The 32 raw bytes of an Ed25519 Multikey, or null when the value is not one. */
export function ed25519PublicKeyFromMultibase(multibase: string): Uint8Array | null {
  if (!multibase.startsWith('z')) return null;
  const bytes = base58btcDecode(multibase.slice(1));
  if (!bytes || bytes.length !== 34 || bytes[0] !== 0xed || bytes[1] !== 0x01) return null;
  return bytes.slice(2);
}
