import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chainAlphabet, looksLikeChainId, newChainId } from '../../src/runs/chain-id.ts';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { runStoreContract } from './run-store.contract.ts';

describe('runs in the store', () => {
  const tempDir = useTempDirs();

  runStoreContract(async () => new SqliteStore(join(tempDir(), 'agentlog.db')));

  it('makes chain ids of 6 characters from an alphabet without look-alikes', () => {
    expect(chainAlphabet).not.toMatch(/[01ILOU]/);
    const ids = new Set(Array.from({ length: 2000 }, () => newChainId()));
    expect(ids.size).toBeGreaterThan(1990);
    for (const id of ids) expect(looksLikeChainId(id)).toBe(true);
    expect(looksLikeChainId('k7m2qx')).toBe(true);
    expect(looksLikeChainId('K7M2Q0')).toBe(false);
  });
});
