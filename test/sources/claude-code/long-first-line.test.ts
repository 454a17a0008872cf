import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectClaude } from '../../../src/sources/claude-code/detect.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import { importWith } from '../chat-imports.ts';

const tempDir = useTempDirs();
const session = 'e1000000-0000-4000-8000-000000000001';

/**
 * A file that starts mid-conversation (a copy, a checkpoint) with an assistant line writing a large
 * file: Claude Code writes `"type":"assistant"` after the message, far past the 64 KB head.
 */
function bigAssistantLine(): string {
  return JSON.stringify({
    parentUuid: 'e1000000-0000-4000-8000-0000000000a0',
    isSidechain: false,
    userType: 'external',
    cwd: '/home/dev/site',
    sessionId: session,
    version: '2.1.14',
    gitBranch: 'main',
    message: {
      model: 'claude-opus-4-5-20251101',
      id: 'msg_big',
      type: 'message',
      role: 'assistant',
      content: [
        {
          type: 'tool_use',
          id: 'toolu_big',
          name: 'Write',
          input: { file_path: '/home/dev/site/data.csv', content: 'row,value\n'.repeat(12_000) },
        },
      ],
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: 3,
        output_tokens: 900,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    },
    requestId: 'req_big',
    type: 'assistant',
    uuid: 'e1000000-0000-4000-8000-0000000000a1',
    timestamp: '2026-03-04T12:00:00.000Z',
  });
}

describe('Claude Code detection of a first line longer than the head', () => {
  it('claims an assistant line by its envelope when its type is past the head', () => {
    const line = bigAssistantLine();
    expect(line.length).toBeGreaterThan(100_000);
    expect(detectClaude({ path: 'x.jsonl', text: line.slice(0, 64 * 1024), complete: false })).toEqual({
      ok: true,
    });
  });

  it('imports such a file through import auto', async () => {
    const dir = tempDir();
    const file = join(dir, `${session}.jsonl`);
    const reply = {
      parentUuid: 'e1000000-0000-4000-8000-0000000000a1',
      type: 'user',
      uuid: 'e1000000-0000-4000-8000-0000000000a2',
      sessionId: session,
      timestamp: '2026-03-04T12:00:05.000Z',
      message: {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 'toolu_big', content: 'File created' }],
      },
    };
    writeFileSync(file, `${bigAssistantLine()}\n${JSON.stringify(reply)}\n`);
    const summary = await importWith(tempDir(), 'auto', [file]);
    expect(summary).toMatchObject({ detected: { 'claude-code': 1 }, messages: 2, skippedFiles: [] });
  });
});
