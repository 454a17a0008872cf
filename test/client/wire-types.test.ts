import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { WireInteraction, WireMessage, WireServerFrame, WireStatus } from '../../src/client/wire.ts';
import type { apiInteractionSchema, apiMessageSchema } from '../../src/domain/api-message.ts';
import type { ItemStatus } from '../../src/server/http-contract.ts';
import { clientFrameSchema, type ServerFrame } from '../../src/server/ws-protocol.ts';
import { frameOf } from '../../src/client/ws-transport.ts';

/**
 * The SDK states the wire contracts again as plain types (it ships without zod). The type checks
 * here stop `tsc --noEmit` when the two drift apart; the runtime checks parse what the SDK sends
 * with the server's own schemas.
 */
describe("the SDK's wire types", () => {
  it('match the server contracts in both directions', () => {
    expectTypeOf<WireMessage>().toExtend<z.input<typeof apiMessageSchema>>();
    expectTypeOf<z.output<typeof apiMessageSchema>>().toExtend<WireMessage>();
    expectTypeOf<WireInteraction>().toExtend<z.input<typeof apiInteractionSchema>>();
    expectTypeOf<z.output<typeof apiInteractionSchema>>().toExtend<WireInteraction>();
    expectTypeOf<ServerFrame>().toExtend<WireServerFrame>();
    expectTypeOf<WireStatus>().toEqualTypeOf<ItemStatus>();
    expect(true).toBe(true);
  });

  it('are what the server parses: the frames the SDK sends, of every type', () => {
    const message: WireMessage = {
      id: 'm1',
      session: 's',
      role: 'assistant',
      content: [
        { type: 'text', text: 'hi' },
        { type: 'tool_use', id: 't1', name: 'grep', input: { q: 'x' } },
        { type: 'tool_result', toolUseId: 't1', content: [{ type: 'text', text: 'found' }] },
        { type: 'image_ref', url: 'https://example.com/a.png' },
      ],
      speaker: { name: 'bot', role: 'agent' },
      timestamp: 1_767_323_045_000,
      metadata: { k: 1 },
    };
    const interaction: WireInteraction = { id: 'e1', session: 's', type: 'click', target: 'button#go' };
    const entries = [
      { type: 'message', id: 'm1', body: JSON.stringify(message) },
      { type: 'interaction', id: 'e1', body: JSON.stringify(interaction) },
      { type: 'session_start', id: 's', body: JSON.stringify({ metadata: { title: 't' } }) },
      { type: 'session_start', id: 's "quoted"', body: '{}' },
      { type: 'session_stop', id: 's', body: JSON.stringify({ reason: 'done' }) },
    ] as const;
    const frames = entries.map((e, seq) => JSON.parse(frameOf({ ...e, seq, bytes: 0 })) as { type: string });
    expect(frames.map((f) => f.type)).toEqual(entries.map((e) => e.type));
    for (const frame of frames) expect(clientFrameSchema.safeParse(frame).success, frame.type).toBe(true);
  });
});
