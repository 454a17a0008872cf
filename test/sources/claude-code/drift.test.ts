import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agentlog } from '../../../src/agentlog.ts';
import type { Message } from '../../../src/domain/message.ts';
import type { ImportSummary } from '../../../src/ingest/import-run.ts';
import { decompressRaw, rawHash } from '../../../src/ingest/raw-codec.ts';
import { ownFixtures } from '../../support/shared-fixtures.ts';
import {
  fileLines,
  importClaude,
  messagesOf,
  openAgentlog,
  rawLinesKept,
  sessionByExternalId,
} from './imported-store.ts';

// Records of the version drift (transcript-formats.md §1.3-1.8) that the other fixtures lack:
// server tools, documents, URL images, tool references, file attachments, queue operations,
// record types newer than this parser, a lone UTF-16 surrogate and a 2.0.x Warmup sidechain.
const project = join(ownFixtures, 'claude-code', 'drift', 'projects', '-home-dev-drift');
const S = 'd1000000-0000-4000-8000-000000000000';
const file = join(project, `${S}.jsonl`);
const uuid = (n: number) => `d1000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('Claude Code: records of the version drift', () => {
  let dataDir: string;
  let summary: ImportSummary;
  let agentlog: Agentlog;
  let byUuid: Map<string, Message>;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'agentlog-claude-drift-'));
    summary = await importClaude(dataDir, [project]);
    agentlog = await openAgentlog(dataDir);
    const session = await sessionByExternalId(agentlog, S);
    byUuid = new Map((await messagesOf(agentlog, session.id)).map((m) => [m.externalId, m]));
  });
  afterAll(async () => {
    await agentlog?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every line raw; only the line without a type is reported', async () => {
    expect(summary).toMatchObject({ files: 2, filesSkipped: 0, skippedFiles: [] });
    expect(summary.skippedLines).toEqual([
      { file, line: 14, reason: expect.stringMatching(/^type: missing/) as unknown as string },
    ]);
    expect(await rawLinesKept(agentlog, file)).toBe(16);
  });

  it('names the record types newer than this parser on the session', async () => {
    const session = await sessionByExternalId(agentlog, S);
    expect(session.meta.unknownRecordTypes).toEqual({ 'session-weather': true, 'team-roster': true });
    expect(session.messageCount).toBe(9);
  });

  it('keeps server tool blocks, tool references and URL images whole', () => {
    expect(byUuid.get(uuid(3))!.blocks).toEqual([
      {
        type: 'other',
        kind: 'server_tool_use',
        value: {
          type: 'server_tool_use',
          id: 'srvtoolu_D1',
          name: 'web_search',
          input: { query: 'spec errata' },
        },
      },
    ]);
    expect(byUuid.get(uuid(4))!.blocks[0]).toMatchObject({ type: 'other', kind: 'web_search_tool_result' });
    const result = byUuid.get(uuid(6))!;
    expect(result).toMatchObject({ role: 'tool', kind: 'tool_result' });
    expect(result.blocks[0]).toMatchObject({
      type: 'tool_result',
      content: [{ type: 'other', kind: 'tool_reference', value: { tool_name: 'NotebookEdit' } }],
    });
    expect(byUuid.get(uuid(1))!.blocks[1]).toEqual({
      type: 'other',
      kind: 'image',
      value: { type: 'image', source: { type: 'url', url: 'https://example.com/chart.png' } },
    });
  });

  it('moves a document’s base64 bytes to the blob store and keeps what describes it', () => {
    const pdf = Buffer.from('%PDF-1.4\n% tiny\n');
    const block = byUuid.get(uuid(1))!.blocks[0]!;
    expect(block).toMatchObject({
      type: 'other',
      kind: 'document',
      value: {
        type: 'document',
        title: 'spec.pdf',
        source: { type: 'base64', media_type: 'application/pdf', size: pdf.length },
      },
    });
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    expect(block.type === 'other' && block.value).toMatchObject({ source: { sha256 } });
    expect(JSON.stringify(block)).not.toContain(pdf.toString('base64'));
  });

  it('stores a lone UTF-16 surrogate as U+FFFD in text and blocks alike, the raw line as it was', async () => {
    const m = byUuid.get(uuid(1))!;
    expect(m.text).toBe('Summarise the spec \uFFFD and search for its errata.');
    expect(m.blocks[2]).toEqual({ type: 'text', text: m.text });
    const line = fileLines(file)[0]!;
    const raw = await agentlog.store.rawRecord(agentlog.project.id, 'claude-code', rawHash(line));
    expect(decompressRaw(raw!).toString()).toContain('spec \\ud83d and');
  });

  it('reads the text of a file attachment', () => {
    expect(byUuid.get(uuid(2))).toMatchObject({
      role: 'user',
      kind: 'meta',
      text: 'Errata live on the vendor site.',
      meta: { subtype: 'file' },
    });
  });

  it('keeps the service tier and server tool counts of a response', () => {
    expect(byUuid.get(uuid(5))!.meta).toMatchObject({
      stopReason: 'tool_use',
      serviceTier: 'standard',
      serverToolUse: { web_search_requests: 1, web_fetch_requests: 0 },
    });
    expect(byUuid.get(uuid(3))!.meta.stopReason).toBeUndefined();
    expect(byUuid.get(uuid(12))!.meta).toMatchObject({ serviceTier: 'priority' });
  });

  it('counts usage once per response, cache writes included', async () => {
    const rows = await agentlog.store.usage({ projectId: agentlog.project.id, groupBy: 'session' });
    const session = await sessionByExternalId(agentlog, S);
    expect(rows.find((r) => r.key === session.id)).toMatchObject({
      responses: 2,
      inputTokens: 12 + 5,
      outputTokens: 48 + 9,
      cacheCreationTokens: 100,
      cacheReadTokens: 2000 + 2100,
    });
  });

  it('links a message under a progress line to the message that line hangs from', () => {
    // The progress record (2.1.2+) takes part in the uuid chain but is no message: its child is
    // re-parented onto the nearest message, and the uuid it named is kept beside it.
    expect(byUuid.has(uuid(15))).toBe(false);
    expect(byUuid.get(uuid(16))).toMatchObject({
      parentExternalId: uuid(12),
      meta: { parentUuid: uuid(15) },
    });
    expect(byUuid.get(uuid(12))!.parentExternalId).toBe(uuid(9));
    expect(byUuid.get(uuid(12))!.meta.parentUuid).toBeUndefined();
  });

  it('marks a 2.0.x Warmup sidechain so readers can leave it out', async () => {
    const warmup = await sessionByExternalId(agentlog, `${S}/agent-7c8d9e0f`);
    expect(warmup).toMatchObject({ agentId: '7c8d9e0f', title: 'Warmup', messageCount: 2 });
    expect(warmup.meta).toMatchObject({ warmup: true });
    expect((await sessionByExternalId(agentlog, S)).meta.warmup).toBeUndefined();
  });
});
