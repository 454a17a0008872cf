import { createHash } from 'node:crypto';

export const splits = ['train', 'validation'] as const;
export type Split = (typeof splits)[number];

/**
 * Which side a group goes to: the first 4 bytes of sha256(seed, group key), mod 10,000, below
 * the validation share. A group (sessions joined by near-duplicate clusters) is never divided,
 * and keeps its side as the file grows or shrinks around it.
 */
export function splitOf(groupKey: string, seed: string, validationFraction: number): Split {
  if (validationFraction <= 0) return 'train';
  const digest = createHash('sha256').update(seed).update('\u0000').update(groupKey).digest();
  return digest.readUInt32BE(0) % 10_000 < Math.round(validationFraction * 10_000) ? 'validation' : 'train';
}
