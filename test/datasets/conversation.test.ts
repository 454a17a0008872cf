import { describe, expect, it } from 'vitest';
import type { Block } from '../../src/domain/blocks.ts';
import type { Message, MessageKind, Role } from '../../src/domain/message.ts';
import { toConversation } from '../../src/datasets/conversation.ts';

let nextId = 1;
function message(role: Role, blocks: Block[] | string, extra: Partial<Message> = {}): Message {
  const list: Block[] = typeof blocks === 'string' ? [{ type: 'text', text: blocks }] : blocks;
  const id = nextId++;
  return {
    id,
    sessionId: 'ses_test',
    source: 'fixture',
    externalId: `m${id}`,
    parentExternalId: null,
    role,
    kind: 'message' as MessageKind,
    speaker: null,
    blocks: list,
    text: list.map((b) => (b.type === 'text' ? b.text : '')).join(''),
    model: null,
    usage: null,
    responseId: null,
    timestamp: id,
    seq: id,
    contentHash: `h${id}`,
    meta: {},
    ...extra,
  };
}
const use = (id: string, name = 'Bash', input: unknown = { command: 'ls' }): Block => ({
  type: 'tool_use',
  id,
  name,
  input,
});
const res = (id: string, content = 'ok', isError = false): Block => ({
  type: 'tool_result',
  toolUseId: id,
  content,
  isError,
});
const rules = { maxToolOutputChars: 1000 };

describe('sessions become clean chats', () => {
  it('merges one response stored as several messages, and puts each answer after its call', () => {
    const c = toConversation(
      [
        message('user', 'list the files'),
        message('assistant', 'Looking.', { responseId: 'r1' }),
        message('assistant', [use('a')], { responseId: 'r1' }),
        message('assistant', [use('b')], { responseId: 'r1' }),
        message('tool', [res('b', 'B')]),
        message('tool', [res('a', 'A')]),
        message('assistant', 'Two files.'),
      ],
      rules,
    );
    const roles = c.messages.map((m) => m.message.role);
    expect(roles).toEqual(['user', 'assistant', 'tool', 'tool', 'assistant']);
    const call = c.messages[1]!.message;
    expect(call.role === 'assistant' && call.toolCalls.map((t) => t.id)).toEqual(['a', 'b']);
    expect(c.messages[1]!.sourceIds).toHaveLength(3);
    // Answers follow the call order, whatever order they were stored in.
    expect(c.messages.slice(2, 4).map((m) => m.message.role === 'tool' && m.message.toolCallId)).toEqual([
      'a',
      'b',
    ]);
  });

  it('removes unanswered calls, answers without a call, second answers and empty assistant messages, and counts them', () => {
    const c = toConversation(
      [
        message('user', 'go'),
        message('tool', [res('ghost')]),
        message('assistant', [use('a'), use('never')]),
        message('tool', [res('a')]),
        message('tool', [res('a', 'again')]),
        message('assistant', [{ type: 'thinking', thinking: 'hmm' }]),
        message('assistant', 'done'),
      ],
      rules,
    );
    expect(c.badInput).toMatchObject({ orphanToolCalls: 1, orphanToolResults: 2, emptyAssistantMessages: 1 });
    const texts = c.messages.map((m) =>
      m.message.role === 'assistant'
        ? m.message.toolCalls.map((t) => t.id).join() || m.message.content
        : m.message.role,
    );
    expect(texts).toEqual(['user', 'a', 'tool', 'done']);
  });

  it('replaces images with a marker, cuts giant tool outputs in the middle, repairs and drops undecodable text', () => {
    const huge = `${'head '.repeat(400)}${'x'.repeat(5000)}${' tail'.repeat(400)}`;
    const c = toConversation(
      [
        message('user', [
          { type: 'text', text: 'what is on this screenshot?' },
          { type: 'image', mediaType: 'image/png', size: 10, sha256: null },
        ]),
        message('assistant', [use('a')]),
        message('tool', [res('a', huge)]),
        message('assistant', 'bad \ud800 text with a \u0000 NUL'),
        message('user', '\ufffd'.repeat(40)),
        message('assistant', 'ok'),
      ],
      rules,
    );
    expect(c.messages[0]!.message.content).toContain('[image: image/png]');
    const tool = c.messages[2]!.message.content;
    expect(tool.length).toBeLessThan(1100);
    expect(tool).toMatch(/^head /);
    expect(tool).toMatch(/tail$/);
    expect(tool).toMatch(/\[… \d+ characters truncated …\]/);
    expect(c.messages[3]!.message.content).toBe('bad \ufffd text with a  NUL');
    expect(c.messages[4]!.message.content).toBe('[undecodable content removed: 40 characters]');
    expect(c.badInput).toMatchObject({
      images: 1,
      truncatedToolOutputs: 1,
      repairedText: 1,
      undecodableText: 1,
    });
  });

  it('keeps system prompts apart, excludes bookkeeping kinds, and collects UI interactions', () => {
    const c = toConversation(
      [
        message('system', 'You are terse.'),
        message('user', 'summary of before', { kind: 'compact_summary' }),
        message('user', '', {
          kind: 'event',
          blocks: [{ type: 'other', kind: 'interaction', value: { type: 'click', target: '#go' } }],
        }),
        message('user', 'hi'),
        message('assistant', 'API Error', { kind: 'api_error' }),
        message('assistant', 'hello'),
      ],
      rules,
    );
    expect(c.system).toBe('You are terse.');
    expect(c.excluded).toBe(2);
    expect(c.interactions).toEqual([
      { sourceId: expect.any(Number), position: 0, event: { type: 'click', target: '#go' } },
    ]);
    expect(c.messages.map((m) => m.message.role)).toEqual(['user', 'assistant']);
  });

  it('wraps tool input that is not a JSON object, and reads JSON given as a string', () => {
    const c = toConversation(
      [
        message('user', 'go'),
        message('assistant', [use('a', 'T', 'plain'), use('b', 'T', '{"k":1}')]),
        message('tool', [res('a'), res('b')]),
        message('assistant', 'ok'),
      ],
      rules,
    );
    const m = c.messages[1]!.message;
    expect(m.role === 'assistant' && m.toolCalls.map((t) => t.arguments)).toEqual([
      { input: 'plain' },
      { k: 1 },
    ]);
  });
});
