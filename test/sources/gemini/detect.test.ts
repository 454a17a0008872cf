import { describe, expect, it } from 'vitest';
import { detectGeminiDocument, detectGeminiLines, geminiLayout } from '../../../src/sources/gemini/detect.ts';

const head = (text: string, path = 'chats/session.jsonl', complete = true) => ({ path, text, complete });
const header = '{"sessionId":"s1","projectHash":"abc","startTime":"2026-05-02T09:15:00.000Z","kind":"main"}';

describe('gemini detection', () => {
  it('tells JSON Lines chats from JSON documents by content', () => {
    expect(geminiLayout(head(`${header}\n{"$set":{}}\n`))).toBe('lines');
    expect(geminiLayout(head('{\n  "sessionId": "s1",\n  "messages": []\n}', 'a.jsonl'))).toBe('document');
    expect(geminiLayout(head('[\n  {"sessionId": "s1"}\n]', 'logs.json'))).toBe('document');
    expect(geminiLayout(head('{"sessionId":"s1","projectHash":"a","messages":[]}', 'x.jsonl'))).toBe(
      'document',
    );
    // A JSON Lines header may carry `messages`: lines after it make the file JSON Lines.
    expect(
      geminiLayout(head('{"sessionId":"s1","projectHash":"a","messages":[]}\n{"id":"m1","type":"user"}\n')),
    ).toBe('lines');
    // A compact document longer than the head: only the extension is left to go by.
    expect(geminiLayout(head('{"sessionId":"s1","messages":[{"id":"m', 'session.json', false))).toBe(
      'document',
    );
    expect(geminiLayout(head('{"sessionId":"s1","messages":[{"id":"m', 'session.jsonl', false))).toBe(
      'lines',
    );
  });

  it('accepts a chat by its header and rejects other agents', () => {
    expect(detectGeminiLines(head(`${header}\n`))).toEqual({ ok: true });
    expect(detectGeminiLines(head('{"$rewindTo":"m1"}\n'))).toEqual({ ok: true });
    const claude = '{"type":"user","uuid":"u1","sessionId":"s","message":{"role":"user","content":"hi"}}\n';
    expect(detectGeminiLines(head(claude))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('Claude'),
    });
    const codex = '{"timestamp":"t","type":"session_meta","payload":{}}\n';
    expect(detectGeminiLines(head(codex))).toMatchObject({ ok: false });
    expect(detectGeminiLines(head('not json\n'))).toEqual({
      ok: false,
      reason: 'the first line is not JSON',
    });
  });

  it('accepts legacy chats and logs.json, even cut short, and rejects checkpoints', () => {
    expect(detectGeminiDocument(head('{"sessionId":"s1","projectHash":"a","messages":[]}'))).toEqual({
      ok: true,
    });
    expect(detectGeminiDocument(head('[]', 'logs.json'))).toEqual({ ok: true });
    expect(detectGeminiDocument(head('{\n  "sessionId": "5b95', 'x.json'))).toEqual({ ok: true });
    expect(detectGeminiDocument(head('[\n  {\n    "sessionId": "s', 'logs.json', false))).toEqual({
      ok: true,
    });
    expect(
      detectGeminiDocument(head('{"history":[],"authType":"oauth"}', 'checkpoint-a.json')),
    ).toMatchObject({
      ok: false,
      reason: expect.stringContaining('checkpoint'),
    });
    expect(detectGeminiDocument(head('[{"role":"user","parts":[]}]', 'checkpoint-b.json'))).toMatchObject({
      ok: false,
    });
    expect(detectGeminiDocument(head('{"name":"package","version":"1.0.0"}', 'package.json'))).toMatchObject({
      ok: false,
    });
  });
});
