import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../support/temp-dir.ts';
import { codeOf, converse, countTokens, memoryIn } from './memory-fixture.ts';

const tempDir = useTempDirs();

describe('addMessage and recentMessages', () => {
  it('creates the session, keeps order, and shows the most recent last', async () => {
    const memory = await memoryIn(tempDir());
    try {
      const first = await memory.addMessage('chat-1', {
        role: 'user',
        content: 'How big is the box?',
        agent: 'sizing agent',
        metadata: { channel: 'web' },
      });
      expect(first.status).toBe('stored');
      expect(first.message).toMatchObject({
        role: 'user',
        kind: 'message',
        agent: 'sizing agent',
        content: 'How big is the box?',
        metadata: { channel: 'web' },
      });
      await converse(memory, 'chat-1', ['a', 'b', 'c', 'd']);
      const session = await memory.getSession('chat-1');
      expect(session).toMatchObject({ name: 'chat-1', source: 'memory', status: 'active', messageCount: 5 });
      expect(session.title).toBe('How big is the box?');

      const recent = await memory.recentMessages('chat-1', { limit: 3 });
      expect(recent.messages.map((m) => m.content)).toEqual(['b', 'c', 'd']);
      const all = await memory.recentMessages(session.id, { limit: 100 });
      expect(all.messages.map((m) => m.content)).toEqual(['How big is the box?', 'a', 'b', 'c', 'd']);
    } finally {
      await memory.close();
    }
  });

  it('stores a message sent twice with the same id once, per session', async () => {
    const memory = await memoryIn(tempDir());
    try {
      const a = await memory.addMessage('s', { id: 'm1', role: 'user', content: 'hello' });
      const again = await memory.addMessage('s', { id: 'm1', role: 'user', content: 'hello' });
      expect(again).toEqual({ message: a.message, status: 'duplicate' });
      expect(a.message.externalId).toBe('m1');
      // The same id in another session is another message.
      const other = await memory.addMessage('t', { id: 'm1', role: 'user', content: 'hello' });
      expect(other.status).toBe('stored');
      expect(other.message.id).not.toBe(a.message.id);
      expect((await memory.recentMessages('s')).messages).toHaveLength(1);
    } finally {
      await memory.close();
    }
  });

  it('refuses empty content, unknown roles, reserved metadata and unknown sessions', async () => {
    const memory = await memoryIn(tempDir());
    try {
      expect(await codeOf(memory.addMessage('s', { role: 'user', content: '' }))).toBe('INVALID_ARGUMENT');
      expect(await codeOf(memory.addMessage('s', { role: 'user', content: '  \n' }))).toBe(
        'INVALID_ARGUMENT',
      );
      expect(await codeOf(memory.addMessage('s', { role: 'user', content: [] }))).toBe('INVALID_ARGUMENT');
      const badRole = { role: 'robot', content: 'x' } as unknown as Parameters<typeof memory.addMessage>[1];
      expect(await codeOf(memory.addMessage('s', badRole))).toBe('INVALID_ARGUMENT');
      const reserved = { role: 'user' as const, content: 'x', metadata: { agentlog: 1 } };
      expect(await codeOf(memory.addMessage('s', reserved))).toBe('INVALID_ARGUMENT');
      expect(await codeOf(memory.addMessage('', { role: 'user', content: 'x' }))).toBe('INVALID_ARGUMENT');
      expect(await codeOf(memory.addMessage('ses_nope', { role: 'user', content: 'x' }))).toBe('NOT_FOUND');
      expect(await codeOf(memory.recentMessages('nope'))).toBe('NOT_FOUND');
      expect(await codeOf(memory.context('nope', { maxTokens: 100 }))).toBe('NOT_FOUND');
      expect(await codeOf(memory.pin('nope', 'a note'))).toBe('NOT_FOUND');
      expect(await codeOf(memory.exportSession('nope', 'json'))).toBe('NOT_FOUND');
      expect(await codeOf(memory.search({ session: 'nope' }, 'x'))).toBe('NOT_FOUND');
      expect(await codeOf(memory.editMessage(999, 'x'))).toBe('NOT_FOUND');
      // Nothing of the refused writes was stored.
      expect(await codeOf(memory.getSession('s'))).toBe('NOT_FOUND');
    } finally {
      await memory.close();
    }
  });
});

describe('what is stored', () => {
  it('gives back text and blocks exactly, whatever characters they hold', async () => {
    const memory = await memoryIn(tempDir());
    try {
      const texts = [
        'quotes " and \\ backslashes',
        'line one\nline two\r\n\ttabbed',
        'control \u0001\u001f and \u2028 separators',
        'ünïcödé, 中文, emoji 🙂',
        '<script>&amp;</script>',
      ];
      for (const content of texts) await memory.addMessage('x', { role: 'user', content });
      const blocks = [
        { type: 'text' as const, text: 'first' },
        { type: 'text' as const, text: 'second' },
        { type: 'tool_use' as const, id: 't', name: 'run', input: { a: [1, '"'] } },
      ];
      await memory.addMessage('x', { role: 'assistant', content: blocks });
      const recent = (await memory.recentMessages('x')).messages;
      expect(recent.map((m) => m.blocks)).toEqual([...texts.map((text) => [{ type: 'text', text }]), blocks]);
      expect(recent.map((m) => m.content).slice(0, texts.length)).toEqual(texts);
    } finally {
      await memory.close();
    }
  });
});

describe('context', () => {
  it('renders one line per message after the pinned notes, within the budget', async () => {
    const memory = await memoryIn(tempDir());
    try {
      await memory.addMessage('c', { role: 'user', content: 'How big is the box?', agent: 'sizing agent' });
      await memory.addMessage('c', { role: 'assistant', content: 'It is 30 cm wide.\nAnd 20 cm deep.' });
      await memory.pin('c', 'The user prefers metric units.');
      const context = await memory.context('c', { maxTokens: 1000 });
      expect(context.format).toBe('text');
      if (context.format !== 'text') return;
      expect(context.text).toBe(
        [
          'Pinned note: The user prefers metric units.',
          'User (sizing agent): How big is the box?',
          'Assistant: It is 30 cm wide.\\nAnd 20 cm deep.',
        ].join('\n'),
      );
      expect(context).toMatchObject({ included: 2, pinned: 1, omitted: 0, archived: 0, truncated: 0 });
      expect(countTokens(context.text)).toBeLessThanOrEqual(context.tokens);
    } finally {
      await memory.close();
    }
  });

  it('keeps the newest history that fits and says how much it left out', async () => {
    const memory = await memoryIn(tempDir());
    try {
      const texts = Array.from(
        { length: 40 },
        (_, i) => `message number ${i} says something about item ${i * 7}`,
      );
      await converse(memory, 'c', texts);
      for (const maxTokens of [1, 20, 57, 100, 333]) {
        const context = await memory.context('c', { maxTokens });
        if (context.format !== 'text') throw new Error('text expected');
        expect(context.tokens).toBeLessThanOrEqual(maxTokens);
        expect(countTokens(context.text)).toBeLessThanOrEqual(context.tokens);
        expect(context.included + context.omitted).toBe(40);
        const lines = context.text === '' ? [] : context.text.split('\n');
        expect(lines).toHaveLength(context.included);
        // The newest messages, in order.
        expect(lines.map((l) => l.replace(/^\w+: /, ''))).toEqual(texts.slice(40 - context.included));
        // One more message would not have fitted.
        if (context.omitted > 0) {
          const bigger = await memory.context('c', { maxTokens, maxMessages: context.included + 1 });
          expect(bigger.included).toBe(context.included);
        }
      }
      const capped = await memory.context('c', { maxTokens: 100_000, maxMessages: 5 });
      expect(capped).toMatchObject({ included: 5, omitted: 35 });
    } finally {
      await memory.close();
    }
  });

  it('never separates a tool call from its result', async () => {
    const memory = await memoryIn(tempDir());
    try {
      await memory.addMessage('t', { role: 'user', content: 'Measure the box please.' });
      await memory.addMessage('t', {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Measuring.' },
          { type: 'tool_use', id: 'call-1', name: 'measure', input: { what: 'box', unit: 'cm' } },
        ],
      });
      await memory.addMessage('t', {
        role: 'tool',
        content: [{ type: 'tool_result', toolUseId: 'call-1', content: '30 x 20 x 10' }],
      });
      await memory.addMessage('t', { role: 'assistant', content: 'The box is 30 by 20 by 10 cm.' });
      const full = await memory.context('t', { maxTokens: 10_000, format: 'messages' });
      expect(full.included).toBe(4);
      // Budgets that would fit the result but not its call take neither.
      for (let maxTokens = 1; maxTokens < full.tokens; maxTokens++) {
        const context = await memory.context('t', { maxTokens, format: 'messages' });
        if (context.format !== 'messages') throw new Error('messages expected');
        const roles = context.messages.map((m) => m.role);
        expect(roles.includes('tool')).toBe(
          roles.some((r, i) => r === 'assistant' && context.messages[i]?.tool_calls),
        );
        expect([0, 1, 3, 4]).toContain(context.included);
      }
      const window = await memory.context('t', { maxTokens: 10_000, format: 'messages' });
      if (window.format !== 'messages') throw new Error('messages expected');
      // The count covers what is sent: each message's content and arguments, and 4 tokens of framing.
      const sent = window.messages.map(
        (m) =>
          countTokens(m.content ?? '') +
          (m.tool_calls ?? []).reduce(
            (n, c) => n + countTokens(`${c.function.name} ${c.function.arguments}`),
            0,
          ) +
          4,
      );
      expect(sent.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(window.tokens);
      expect(window.messages).toEqual([
        { role: 'user', content: 'Measure the box please.' },
        {
          role: 'assistant',
          content: 'Measuring.',
          tool_calls: [
            {
              id: 'call-1',
              type: 'function',
              function: { name: 'measure', arguments: '{"what":"box","unit":"cm"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call-1', content: '30 x 20 x 10' },
        { role: 'assistant', content: 'The box is 30 by 20 by 10 cm.' },
      ]);
    } finally {
      await memory.close();
    }
  });

  it('writes a result whose call was never recorded as user text', async () => {
    const memory = await memoryIn(tempDir());
    try {
      await memory.addMessage('o', {
        role: 'user',
        content: [{ type: 'tool_result', toolUseId: 'lost', content: 'output', isError: true }],
      });
      const context = await memory.context('o', { maxTokens: 1000, format: 'messages' });
      if (context.format !== 'messages') throw new Error('messages expected');
      expect(context.messages).toEqual([{ role: 'user', content: '[tool result (error): output]' }]);
    } finally {
      await memory.close();
    }
  });

  it('cuts an enormous message to perMessageChars and says so', async () => {
    const memory = await memoryIn(tempDir());
    try {
      const huge = 'lorem ipsum dolor sit amet '.repeat(40_000); // about 1 MB
      await memory.addMessage('h', { role: 'user', content: huge });
      await memory.addMessage('h', { role: 'assistant', content: 'That is long.' });
      const context = await memory.context('h', { maxTokens: 2000, perMessageChars: 500 });
      if (context.format !== 'text') throw new Error('text expected');
      expect(context).toMatchObject({ included: 2, truncated: 1 });
      const [first] = context.text.split('\n');
      expect(first).toMatch(
        /^User: (lorem ipsum dolor sit amet ){18}lorem ipsum do … \[truncated: 1079500 more characters\]$/,
      );
      expect(countTokens(context.text)).toBeLessThanOrEqual(context.tokens);
      expect((await memory.recentMessages('h')).messages[0]?.content).toBe(huge);
    } finally {
      await memory.close();
    }
  });
});

describe('search, edit and pins', () => {
  it('finds messages in a session or the whole project', async () => {
    const memory = await memoryIn(tempDir());
    try {
      await converse(memory, 'a', ['the blue whale is large', 'yes, very large']);
      await converse(memory, 'b', ['a small blue bird']);
      const inA = await memory.search({ session: 'a' }, 'blue');
      expect(inA.hits.map((h) => h.message.content)).toEqual(['the blue whale is large']);
      expect(inA.hits[0]?.snippet).toContain('[blue]');
      const everywhere = await memory.search('project', 'blue');
      expect(everywhere.hits.map((h) => h.message.content).sort()).toEqual([
        'a small blue bird',
        'the blue whale is large',
      ]);
      expect((await memory.search('project', 'blue whale')).hits).toHaveLength(1);
      expect((await memory.search('project', '"unbalanced')).hits).toHaveLength(0);
      expect(await codeOf(memory.search('project', '  '))).toBe('INVALID_ARGUMENT');
    } finally {
      await memory.close();
    }
  });

  it('keeps every revision of an edited message', async () => {
    const memory = await memoryIn(tempDir());
    try {
      const [id] = await converse(memory, 'e', ['first version', 'reply']);
      const edited = await memory.editMessage(id!, 'second version');
      expect(edited).toMatchObject({ changed: true, message: { id, content: 'second version' } });
      await memory.editMessage(id!, 'third version');
      const same = await memory.editMessage(id!, 'third version');
      expect(same.changed).toBe(false);
      const { message, revisions } = await memory.revisions(id!);
      expect(message.content).toBe('third version');
      expect(revisions.map((r) => r.content)).toEqual(['first version', 'second version']);
      // The edit keeps the message's place, and search sees the new text only.
      expect((await memory.recentMessages('e')).messages.map((m) => m.content)).toEqual([
        'third version',
        'reply',
      ]);
      expect((await memory.search('project', 'third')).hits).toHaveLength(1);
      expect((await memory.search('project', 'first')).hits).toHaveLength(0);
      expect(await codeOf(memory.editMessage(id!, ''))).toBe('INVALID_ARGUMENT');
    } finally {
      await memory.close();
    }
  });

  it('lists pinned notes and keeps them out of the history', async () => {
    const memory = await memoryIn(tempDir());
    try {
      await converse(memory, 'p', ['hello', 'hi']);
      const note = await memory.pin('p', 'Customer since 2019.');
      expect(note).toMatchObject({ kind: 'note', content: 'Customer since 2019.' });
      await memory.pin('p', 'Ships to Berlin.');
      expect((await memory.pins('p')).map((n) => n.content)).toEqual([
        'Customer since 2019.',
        'Ships to Berlin.',
      ]);
      expect((await memory.recentMessages('p')).messages.map((m) => m.content)).toEqual(['hello', 'hi']);
      // Notes always come, even over a budget too small for any history.
      const context = await memory.context('p', { maxTokens: 5 });
      expect(context).toMatchObject({ pinned: 2, included: 0, omitted: 2 });
      expect(context.tokens).toBeGreaterThan(5);
      expect(await codeOf(memory.pin('p', ' '))).toBe('INVALID_ARGUMENT');
    } finally {
      await memory.close();
    }
  });
});
