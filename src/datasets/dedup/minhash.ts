import type { ChatMessage } from '../example.ts';
import { wordHashes } from '../word-hashes.ts';

/** Slots of a signature: the estimate's resolution is 1/128. */
export const signatureSize = 128;
const shingleWords = 5;
const slotBits = 7;

/** murmur3's finaliser: spreads every input bit over the whole word. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** What near-duplicates are judged on: what the user and the assistant said (not the system prompt or tool output). */
export function comparedText(messages: readonly ChatMessage[]): string {
  const parts: string[] = [];
  for (const m of messages) if (m.role === 'user' || m.role === 'assistant') parts.push(m.content);
  return parts.join('\n');
}

/**
 * A MinHash signature over 5-word shingles by one-permutation hashing: each shingle is hashed
 * once; its low 7 bits pick one of 128 slots, which keeps the smallest rest. Empty slots borrow
 * from the next filled one (rotation densification), so two signatures agree in a share of
 * slots that estimates the Jaccard similarity of their shingle sets, at the cost of one hash per
 * shingle instead of 128. Null when the text has no words.
 */
export function minhash(text: string): Uint32Array | null {
  const { hashes, count } = wordHashes(text);
  if (count === 0) return null;
  const slots = new Uint32Array(signatureSize).fill(0xffffffff);
  const filled = new Uint8Array(signatureSize);
  const shingles = Math.max(1, count - shingleWords + 1);
  for (let i = 0; i < shingles; i++) {
    let h = 0x9e3779b1;
    for (let k = i; k < Math.min(i + shingleWords, count); k++)
      h = Math.imul(h ^ hashes[k]!, 0x9e3779b1) >>> 0;
    h = mix(h);
    const slot = h & (signatureSize - 1);
    const value = h >>> slotBits;
    if (value < slots[slot]!) slots[slot] = value;
    filled[slot] = 1;
  }
  densify(slots, filled);
  return slots;
}

function densify(slots: Uint32Array, filled: Uint8Array): void {
  for (let i = 0; i < signatureSize; i++) {
    if (filled[i] === 1) continue;
    for (let step = 1; step < signatureSize; step++) {
      const from = (i + step) % signatureSize;
      if (filled[from] === 1) {
        // The offset keeps a borrowed value distinct from the slot's own value elsewhere.
        slots[i] = (slots[from]! + step * 0x01000193) >>> 0;
        break;
      }
    }
  }
}

/** The share of slots two signatures agree on: the estimated Jaccard similarity. */
export function similarity(a: Uint32Array, aOffset: number, b: Uint32Array, bOffset: number): number {
  let same = 0;
  for (let i = 0; i < signatureSize; i++) if (a[aOffset + i] === b[bOffset + i]) same++;
  return same / signatureSize;
}
