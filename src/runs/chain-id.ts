import { randomInt } from 'node:crypto';

/** No 0/O, 1/I/L or U: a chain id survives being read aloud, handwritten or retyped. */
export const chainAlphabet = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
export const chainIdLength = 6;

const chainPattern = new RegExp(`^[${chainAlphabet}]{${chainIdLength}}$`);

/** A fresh chain-of-custody id: 6 characters, 30^6 (about 729 million) possibilities. */
export function newChainId(): string {
  let id = '';
  for (let i = 0; i < chainIdLength; i++) id += chainAlphabet[randomInt(chainAlphabet.length)];
  return id;
}

/** Whether `text` (any case) has the shape of a chain id. */
export function looksLikeChainId(text: string): boolean {
  return chainPattern.test(text.toUpperCase());
}
