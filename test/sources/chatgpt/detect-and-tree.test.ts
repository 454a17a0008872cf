import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectChatgpt } from '../../../src/sources/chatgpt/detect.ts';
import { layOutTree } from '../../../src/sources/chatgpt/tree.ts';
import { ownFixtures } from '../../support/shared-fixtures.ts';

const part = readFileSync(join(ownFixtures, 'chatgpt', 'split', 'conversations-000.json'), 'utf8');
const head = (text: string, complete = true) => ({ path: 'conversations.json', text, complete });

describe('detectChatgpt', () => {
  it('claims an export from the start of its one long line', () => {
    expect(detectChatgpt(head(part))).toEqual({ ok: true });
    expect(detectChatgpt(head(part.slice(0, 400), false))).toEqual({ ok: true });
  });

  it('declines other JSON, saying why', () => {
    expect(detectChatgpt(head('[]'))).toEqual({ ok: false, reason: 'no conversations in the file' });
    expect(detectChatgpt(head('{"sessionId":"s","projectHash":"p","messages":[]}'))).toMatchObject({
      ok: false,
    });
    expect(detectChatgpt(head('[{"conversations":[{"from":"human","value":"hi"}]}]'))).toMatchObject({
      ok: false,
    });
    expect(detectChatgpt(head('{"type":"user","uuid":"u"}\n'))).toMatchObject({ ok: false });
    expect(detectChatgpt(head(''))).toEqual({ ok: false, reason: 'empty file' });
  });
});

describe('layOutTree', () => {
  const n = (parent: string | null, message = true) => ({
    parent,
    message: message ? {} : null,
    children: [],
  });

  it('puts the canonical child first, then the other branches, each under its nearest message', () => {
    const tree = layOutTree({ root: n(null, false), a: n('root'), b1: n('a'), b2: n('a'), c: n('b2') }, 'c');
    expect(tree.nodes).toEqual([
      { id: 'root', messageParent: null },
      { id: 'a', messageParent: null },
      { id: 'b2', messageParent: 'a' },
      { id: 'c', messageParent: 'b2' },
      { id: 'b1', messageParent: 'a' },
    ]);
    expect([...tree.canonical].sort()).toEqual(['a', 'c', 'b2', 'root'].sort());
  });

  it('loses no node: a missing parent makes a root, a cycle is kept, no current node follows the last child', () => {
    const tree = layOutTree(
      { a: n(null), b: n('a'), c: n('a'), orphan: n('gone'), x: n('y'), y: n('x') },
      undefined,
    );
    expect(tree.nodes.map((p) => p.id).sort()).toEqual(['a', 'b', 'c', 'orphan', 'x', 'y']);
    expect(tree.nodes.find((p) => p.id === 'x')).toEqual({ id: 'x', messageParent: 'y' });
    expect([...tree.canonical].sort()).toEqual(['a', 'c']);
  });
});
