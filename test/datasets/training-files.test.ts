import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../support/temp-dir.ts';
import { assistant, codingTurns, filesOf, openAgentlog, seedSession, user } from './dataset-fixture.ts';

const tempDir = useTempDirs();

describe('training files in the store', () => {
  it('create, add, remove, list, show, sessions, delete', async () => {
    const agentlog = await openAgentlog(tempDir());
    try {
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) ids.push(await seedSession(agentlog, `s${i}`, codingTurns(i)));
      const files = filesOf(agentlog);
      const created = await files.create({
        name: 'coding',
        description: 'first try',
        sessions: [ids[0]!, 's1'],
      });
      expect(created).toMatchObject({
        added: 2,
        notFinished: 0,
        trainingFile: { name: 'coding', sessionCount: 2 },
      });
      const added = await files.add('coding', [ids[2]!.slice(0, 10), ids[3]!]);
      expect(added.sessions).toEqual([ids[2], ids[3]]);
      expect(added.trainingFile.sessionCount).toBe(4);
      const removed = await files.remove(created.trainingFile.id, [ids[0]!]);
      expect(removed.trainingFile.sessionCount).toBe(3);
      expect((await files.list()).trainingFiles.map((f) => f.name)).toEqual(['coding']);
      const shown = await files.show(created.trainingFile.id.slice(0, 8));
      expect(shown).toEqual({
        trainingFile: expect.objectContaining({ description: 'first try' }),
        builds: [],
      });
      const { sessions } = await files.sessions('coding');
      expect(sessions.map((s) => s.sessionId)).toEqual([ids[1], ids[2], ids[3]].sort());
      expect(sessions[0]).toMatchObject({ source: 'fixture', status: 'imported', messageCount: 4 });
      expect(await files.delete('coding')).toEqual({ deleted: created.trainingFile.id });
      await expect(files.show('coding')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      await agentlog.close();
    }
  });

  it('adding a session already in the file refuses the request and names it; nothing is added', async () => {
    const agentlog = await openAgentlog(tempDir());
    try {
      const a = await seedSession(agentlog, 'a', codingTurns(1));
      const b = await seedSession(agentlog, 'b', codingTurns(2));
      const files = filesOf(agentlog);
      await files.create({ name: 'f', sessions: [a] });
      await expect(files.add('f', [b, a])).rejects.toMatchObject({
        code: 'CONFLICT',
        message: `Already in f: ${a}. Nothing was added.`,
      });
      expect((await files.show('f')).trainingFile.sessionCount).toBe(1);
      await expect(files.add('f', [b, b])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      await expect(files.remove('f', [b])).rejects.toMatchObject({
        code: 'NOT_FOUND',
        message: `Not in f: ${b}. Nothing was removed.`,
      });
      await expect(files.create({ name: 'f', sessions: [b] })).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(files.add('f', ['ses_nope'])).rejects.toMatchObject({
        code: 'NOT_FOUND',
        message: 'No session matches ses_nope.',
      });
    } finally {
      await agentlog.close();
    }
  });

  it('only sessions that finished processing can be added: completed, or imported and enriched', async () => {
    const agentlog = await openAgentlog(tempDir());
    try {
      const live = await seedSession(agentlog, 'live', codingTurns(1), { status: 'active' });
      const raw = await seedSession(agentlog, 'raw', codingTurns(2), { pipeline: { enrich: false } });
      const done = await seedSession(agentlog, 'done', codingTurns(3), { status: 'completed' });
      const imported = await seedSession(agentlog, 'imported', codingTurns(4));
      const files = filesOf(agentlog);
      const refusal = files.create({ name: 'x', sessions: [live, raw, done] });
      await expect(refusal).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(refusal).rejects.toThrow(
        `2 sessions have not finished processing: ${live} (active), ${raw} (imported; 4 of 4 messages not enriched)`,
      );
      expect((await files.list()).trainingFiles).toEqual([]);
      const made = await files.create({ name: 'x', sessions: [done, imported] });
      expect(made.added).toBe(2);
      await expect(files.add('x', [live])).rejects.toMatchObject({ code: 'CONFLICT' });
    } finally {
      await agentlog.close();
    }
  });

  it('a filter selects finished sessions and counts those left out', async () => {
    const agentlog = await openAgentlog(tempDir());
    try {
      await seedSession(agentlog, 'short', [user('hi'), assistant('Hello.')], { source: 'claude-code' });
      const long = await seedSession(agentlog, 'long', codingTurns(1), { source: 'claude-code' });
      await seedSession(agentlog, 'other', codingTurns(2), { source: 'codex' });
      await seedSession(agentlog, 'busy', codingTurns(3), { source: 'claude-code', status: 'active' });
      const files = filesOf(agentlog);
      const made = await files.create({ name: 'cc', filter: 'source=claude-code and messages>=4' });
      expect(made).toMatchObject({ added: 1, notFinished: 1 });
      expect((await files.sessions('cc')).sessions.map((s) => s.sessionId)).toEqual([long]);
      await expect(files.create({ name: 'none', filter: 'source=gemini' })).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
      await expect(files.create({ name: 'bad', filter: 'source=x and' })).rejects.toThrow(
        'Bad filter at column 13',
      );
    } finally {
      await agentlog.close();
    }
  });
});
