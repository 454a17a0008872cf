import { describe, expect, it } from 'vitest';
import { readFrame, type FrameContent } from '../../src/server/zeromq/zmq-frame.ts';

const at = Date.UTC(2026, 0, 2, 3, 4, 5);
const frame = (value: unknown) => [Buffer.from(typeof value === 'string' ? value : JSON.stringify(value))];

function content(parts: Buffer[]): FrameContent {
  const read = readFrame(parts, at);
  if ('invalid' in read) throw new Error(`invalid: ${read.invalid}`);
  return read;
}

const record = {
  Id: 'r1',
  Timestamp: '2026-01-02T03:04:05.250',
  SpeakerName: 'planner',
  SpeakerRole: 'Agent',
  Message: 'Split the task in three.',
  ConversationType: 'agent_to_agent',
  ContextId: 'ctx-9',
  Metadata: { hop: 2 },
};

describe('ZeroMQ frames', () => {
  it('maps the record shape to an API message: role, speaker, zone-less UTC time, conversation type', () => {
    const { items, rejected } = content(frame(record));
    expect(rejected).toEqual([]);
    const message = items[0]!.record.message!;
    expect(message).toMatchObject({
      externalId: 'r1',
      sessionExternalId: 'ctx-9',
      role: 'assistant',
      speaker: { name: 'planner', role: 'Agent' },
      text: 'Split the task in three.',
      timestamp: Date.UTC(2026, 0, 2, 3, 4, 5, 250),
      meta: { hop: 2, conversationType: 'agent_to_agent' },
    });
    // A single message keeps the bytes exactly as received as its raw record.
    expect(Buffer.from(items[0]!.raw!).toString()).toBe(JSON.stringify(record));
  });

  it('reads epoch seconds and milliseconds, numeric ids, known role names, and no timestamp', () => {
    const { items } = content(
      frame({
        messages: [
          { Id: 7, ContextId: 3, Message: 'a', SpeakerRole: 'human', Timestamp: 1_767_323_045.5 },
          { Id: 'b', ContextId: 'c', Message: 'b', SpeakerRole: 'tool', Timestamp: 1_767_323_045_123 },
          { Id: 'c', ContextId: 'c', Message: 'c' },
        ],
      }),
    );
    expect(items.map((i) => i.record.message!)).toMatchObject([
      { externalId: '7', sessionExternalId: '3', role: 'user', timestamp: 1_767_323_045_500 },
      { externalId: 'b', role: 'tool', timestamp: 1_767_323_045_123 },
      { externalId: 'c', role: 'assistant', speaker: null, timestamp: at },
    ]);
  });

  it('takes the batch envelope, an array, API messages and records mixed; judges each element alone', () => {
    const api = { id: 'm1', session: 's', role: 'user', content: 'hi' };
    const batch = content(
      frame({ messages: [api, record, { id: 'm2', session: 's', role: 'robot', content: 'x' }, 42] }),
    );
    expect(batch.items.map((i) => i.record.message!.externalId)).toEqual(['m1', 'r1']);
    expect(batch.rejected).toEqual([
      { index: 2, id: 'm2', reason: expect.stringContaining('role') },
      { index: 3, id: null, reason: expect.any(String) },
    ]);
    expect(content(frame([api, record])).items).toHaveLength(2);
  });

  it('skips PUB/SUB topics: earlier parts of a multipart message, or a "topic " prefix', () => {
    const api = JSON.stringify({ id: 'm1', session: 's', role: 'user', content: 'hi' });
    expect(content([Buffer.from('agents.planner'), Buffer.from(api)]).items).toHaveLength(1);
    expect(content([Buffer.from(`agents.planner ${api}`)]).items).toHaveLength(1);
  });

  it('calls a frame invalid when it is not JSON, not an object, an empty batch or one bad message', () => {
    const reasons = [
      frame('{"id": '),
      frame('"text"'),
      frame({ messages: [] }),
      frame({ messages: 'no' }),
      frame({ ...record, Timestamp: 'yesterday' }),
      frame({ id: 'm', session: 's', role: 'user' }),
      [Buffer.alloc(0)],
    ].map((parts) => readFrame(parts, at));
    expect(reasons).toEqual([
      { invalid: expect.stringMatching(/^not JSON/) },
      { invalid: expect.stringMatching(/^not an object/) },
      { invalid: 'an empty batch' },
      { invalid: expect.stringMatching(/^messages/) },
      { invalid: 'Timestamp: not a date: "yesterday"' },
      { invalid: expect.stringMatching(/^content/) },
      { invalid: 'empty frame' },
    ]);
  });
});
