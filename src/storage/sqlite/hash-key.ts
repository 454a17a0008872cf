/** Raw-record hashes are stored as the first 16 bytes of the sha256: half the index, no real collision risk. */
export function hashKey(hex: string): Uint8Array {
  return Buffer.from(hex.slice(0, 32), 'hex');
}
