import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Download URLs that work without an API key until they expire: the path and the expiry time
 * (epoch seconds) are signed with HMAC-SHA256 under the server's key. Changing either, or using
 * the URL after its time, fails the check.
 */
export type SignedPath = { path: string; expires: number; signature: string };

function mac(key: Buffer, path: string, expires: number): Buffer {
  return createHmac('sha256', key).update(`GET\n${path}\n${expires}`).digest();
}

export function signPath(key: Buffer, path: string, expires: number): SignedPath {
  return { path, expires, signature: mac(key, path, expires).toString('base64url') };
}

/** `path?expires=…&signature=…` */
export function signedQuery(signed: SignedPath): string {
  return `${signed.path}?expires=${signed.expires}&signature=${signed.signature}`;
}

export type SignatureCheck = 'valid' | 'expired' | 'invalid';

/** Checks in constant time; an expired URL is reported as such only when its signature is right. */
export function checkSignature(
  key: Buffer,
  path: string,
  expires: unknown,
  signature: unknown,
  nowSeconds: number,
): SignatureCheck {
  if (typeof expires !== 'string' || !/^\d{1,12}$/.test(expires) || typeof signature !== 'string')
    return 'invalid';
  const expected = mac(key, path, Number(expires));
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
  return Number(expires) < nowSeconds ? 'expired' : 'valid';
}
