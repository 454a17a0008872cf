import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchRules } from '../../src/runs/crash/error-rules.ts';
import { extractError } from '../../src/runs/crash/extract-error.ts';
import { ownFixtures } from '../support/shared-fixtures.ts';

const log = (name: string) => readFileSync(join(ownFixtures, 'runs', 'logs', name), 'utf8');
const failed = { exitCode: 1, signal: null };

describe('extractError', () => {
  it('names a CUDA out-of-memory error from a rank-prefixed torch traceback, located in user code', () => {
    const error = extractError(log('cuda-oom.txt'), failed);
    expect(error.kind).toBe('cuda-oom');
    expect(error.type).toBe('torch.OutOfMemoryError');
    expect(error.message).toMatch(/^CUDA out of memory\. Tried to allocate 4\.00 GiB/);
    expect(error.location).toBe('/work/llm/train.py:118');
    expect(error.frames.map((f) => f.function)).toEqual([
      '<module>',
      'main',
      '_wrapped_call_impl',
      'forward',
    ]);
    expect(error.excerpt.startsWith('Traceback (most recent call last):')).toBe(true);
    expect(matchRules(error, log('cuda-oom.txt')).map((r) => r.id)).toEqual(['cuda-oom']);
  });

  it('names an NCCL watchdog timeout that ended in an abort', () => {
    const text = log('nccl-timeout.txt');
    const error = extractError(text, { exitCode: 134, signal: 'SIGABRT' });
    expect(error.kind).toBe('nccl');
    expect(error.message).toMatch(/Watchdog caught collective operation timeout/);
    expect(matchRules(error, text).map((r) => r.id)).toEqual(['nccl-timeout', 'native-crash']);
  });

  it('reads a Node.js stack: type, message, frames outermost first, the throwing line', () => {
    const error = extractError(log('node-stack.txt'), failed);
    expect(error.kind).toBe('node-exception');
    expect(error.type).toBe('Error');
    expect(error.message).toBe('shard part-0003.jsonl is empty');
    expect(error.frames.at(-1)).toEqual({ file: '/srv/app/dist/loader.js', line: 41, function: 'readShard' });
    expect(error.location).toBe('/srv/app/dist/loader.js:41');
    expect(error.excerpt).toContain('throw new Error(`shard ${name} is empty`);');
  });

  it('falls back to the signal, with what it usually means', () => {
    const error = extractError(log('killed.txt'), { exitCode: 137, signal: 'SIGKILL' });
    expect(error.kind).toBe('signal');
    expect(error.type).toBe('SIGKILL');
    expect(error.message).toMatch(/out-of-memory killer/);
    expect(matchRules(error, '').map((r) => r.id)).toEqual(['host-oom-kill']);
  });

  it('falls back to the exit code and the log lines that mention an error', () => {
    const error = extractError(log('exit-code.txt'), { exitCode: 3, signal: null });
    expect(error).toMatchObject({
      kind: 'exit-code',
      type: 'exit 3',
      message: 'ERROR: validation failed: 3 rows without text',
    });
  });

  it('gives the same fingerprint to the same failure in another run, a different one otherwise', () => {
    const a = extractError(log('cuda-oom.txt'), failed);
    const b = extractError(log('cuda-oom.txt').replace('4.00 GiB', '2.00 GiB'), failed);
    const c = extractError(log('node-stack.txt'), failed);
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).not.toBe(c.fingerprint);
  });

  it('reads the last of several chained Python tracebacks', () => {
    const text = [
      'Traceback (most recent call last):',
      '  File "/a/data.py", line 3, in load',
      "KeyError: 'text'",
      '',
      'During handling of the above exception, another exception occurred:',
      '',
      'Traceback (most recent call last):',
      '  File "/a/train.py", line 9, in <module>',
      '    load()',
      'ValueError: dataset has no column "text"',
    ].join('\n');
    const error = extractError(text, failed);
    expect(error).toMatchObject({ kind: 'python-exception', type: 'ValueError', location: '/a/train.py:9' });
  });
});
