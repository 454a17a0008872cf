import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../support/temp-dir.ts';
import {
  geminiFixtures,
  importGemini,
  messagesOf,
  sessionByExternalId,
  withStore,
} from './imported-store.ts';

// Gemini CLI hooks add `<hook_context>` text as the user: a message of its own (at session start)
// or a part beside the prompt. Neither is what the person typed.
const tempDir = useTempDirs();
const session = 'c0ffee06-5e55-4a1d-9b0b-000000000006';

describe('gemini: context added by hooks', () => {
  it('marks a hook-only message as context and titles the session with the typed words', async () => {
    const data = tempDir();
    await importGemini(data, [join(geminiFixtures, 'hooks', 'tmp')]);
    await withStore(data, async (agentlog) => {
      const messages = await messagesOf(agentlog, session);
      expect(messages.map((m) => [m.role, m.kind])).toEqual([
        ['user', 'meta'],
        ['user', 'message'],
        ['assistant', 'message'],
      ]);
      expect((await sessionByExternalId(agentlog, session)).title).toBe('why does the build fail?');
    });
  });
});
