import { expect } from 'vitest';
import type { Block } from '../../src/domain/blocks.ts';
import type { MessageEnrichment } from '../../src/domain/enrichment.ts';
import type { Store, WriteBatch } from '../../src/storage/ports.ts';
import {
  collect,
  contractCases,
  type OpenStore,
  type UnsupportedCases,
} from '../support/store-contract-kit.ts';

const t0 = 1_767_225_600_000;

function enrichment(domain: string | null): MessageEnrichment {
  return {
    results: [{ enricher: 'hash', version: 1, value: { sha256: 'x' }, error: null }],
    labels: domain === null ? [] : [{ facet: 'domain', label: domain, rank: 0 }],
    facets: ['domain'],
    terms: null,
  };
}

type Row = {
  id: string;
  blocks: Block[];
  domain?: string | null;
  enriched?: boolean;
  at?: number;
  meta?: Record<string, unknown>;
};

/** A session of messages (ordered by `at`), written in one batch like an import. */
async function writeSession(
  store: Store,
  projectId: number,
  session: string,
  rows: Row[],
  status = 'imported' as const,
) {
  const batch: WriteBatch = {
    projectId,
    sessions: [{ source: 'test', externalId: session, timestamp: t0, status }],
    raw: [],
    messages: rows.map((row, seq) => ({
      source: 'test',
      sessionExternalId: session,
      externalId: row.id,
      parentExternalId: null,
      role: 'user',
      kind: 'message',
      speaker: null,
      blocks: row.blocks,
      text: row.blocks.map((b) => (b.type === 'text' ? b.text : '')).join(''),
      model: null,
      usage: null,
      responseId: null,
      timestamp: t0 + (row.at ?? seq),
      seq,
      contentHash: `h-${row.id}`,
      meta: row.meta ?? {},
      rawHash: null,
      ...(row.enriched === false ? {} : { enrichment: enrichment(row.domain ?? null) }),
    })),
    usage: [],
    blobs: [],
    fileStates: [],
  };
  await store.write(batch);
  const [found] = await store.findSessions(projectId, session);
  return found!.id;
}

const text = (t: string): Block[] => [{ type: 'text', text: t }];

/**
 * The training-file part of the Store port: SQLite runs it here; another adapter runs the same
 * function, naming the cases it cannot pass yet in `unsupported` (shown as skipped, with why).
 */
export function datasetStoreContract(
  adapter: string,
  open: OpenStore,
  unsupported: UnsupportedCases = {},
): void {
  const cases = contractCases(open, unsupported, (name) => `${adapter}: ${name}`);
  const test = (name: string, run: (store: Store, projectId: number) => Promise<void>) =>
    cases(name, async (store) => run(store, (await store.ensureProject('default')).id));

  test('creates files with their sessions; a name is taken once per project', async (store, projectId) => {
    const a = await writeSession(store, projectId, 'a', [{ id: 'a1', blocks: text('x') }]);
    const b = await writeSession(store, projectId, 'b', [{ id: 'b1', blocks: text('y') }]);
    const file = { id: 'tf_one', projectId, name: 'one', description: 'first', createdAt: t0 };
    const made = await store.createTrainingFile({ file, sessionIds: [b, a] });
    expect(made).toEqual({ ok: true, file: { ...file, updatedAt: t0, sessionCount: 2 } });
    const again = await store.createTrainingFile({ file: { ...file, id: 'tf_two' }, sessionIds: [] });
    expect(again).toEqual({ ok: false, conflict: 'name' });
    await store.createTrainingFile({
      file: { ...file, id: 'tf_three', name: 'three', createdAt: t0 + 5 },
      sessionIds: [],
    });
    expect((await store.listTrainingFiles(projectId)).map((f) => f.id)).toEqual(['tf_three', 'tf_one']);
    expect((await store.findTrainingFiles(projectId, 'one')).map((f) => f.id)).toEqual(['tf_one']);
    expect((await store.findTrainingFiles(projectId, 'tf_t')).map((f) => f.id)).toEqual(['tf_three']);
    expect(await store.findTrainingFiles(projectId + 1, 'one')).toEqual([]);
    expect((await collect(store.trainingFileSessions('tf_one'))).map((m) => m.sessionId)).toEqual(
      [a, b].sort(),
    );
  });

  test('adds and removes sessions whole, or not at all, naming the offenders', async (store, projectId) => {
    const ids = [];
    for (const s of ['a', 'b', 'c'])
      ids.push(await writeSession(store, projectId, s, [{ id: `${s}1`, blocks: text(s) }]));
    const [a, b, c] = ids as [string, string, string];
    await store.createTrainingFile({
      file: { id: 'tf_f', projectId, name: 'f', description: null, createdAt: t0 },
      sessionIds: [a],
    });
    expect(
      await store.addTrainingFileSessions({ fileId: 'tf_f', sessionIds: [c, a, b], at: t0 + 1 }),
    ).toEqual({
      ok: false,
      sessions: [a],
    });
    const added = await store.addTrainingFileSessions({ fileId: 'tf_f', sessionIds: [c, b], at: t0 + 2 });
    expect(added).toMatchObject({ ok: true, file: { sessionCount: 3, updatedAt: t0 + 2 } });
    expect(
      await store.removeTrainingFileSessions({ fileId: 'tf_f', sessionIds: [b, 'ses_none'], at: t0 + 3 }),
    ).toEqual({
      ok: false,
      sessions: ['ses_none'],
    });
    const removed = await store.removeTrainingFileSessions({ fileId: 'tf_f', sessionIds: [b], at: t0 + 4 });
    expect(removed).toMatchObject({ ok: true, file: { sessionCount: 2, updatedAt: t0 + 4 } });
    const members = await collect(store.trainingFileSessions('tf_f'));
    expect(members).toEqual(
      [
        { sessionId: a, addedAt: t0 },
        { sessionId: c, addedAt: t0 + 2 },
      ].sort((x, y) => (x.sessionId < y.sessionId ? -1 : 1)),
    );
  });

  test('records builds as numbered versions and deletes a file with all it holds', async (store, projectId) => {
    await store.createTrainingFile({
      file: { id: 'tf_b', projectId, name: 'b', description: null, createdAt: t0 },
      sessionIds: [],
    });
    const files = [
      {
        name: 'train.jsonl',
        role: 'train' as const,
        key: 'k/train.jsonl',
        bytes: 10,
        sha256: 'ab',
        records: 2,
      },
    ];
    const build = {
      fileId: 'tf_b',
      format: 'openai' as const,
      digest: 'd1',
      createdAt: t0,
      files,
      summary: { examples: 2 },
    };
    expect((await store.recordTrainingFileBuild(build)).version).toBe(1);
    expect((await store.recordTrainingFileBuild({ ...build, digest: 'd2' })).version).toBe(2);
    const builds = await store.trainingFileBuilds('tf_b');
    expect(builds.map((b) => [b.version, b.digest])).toEqual([
      [2, 'd2'],
      [1, 'd1'],
    ]);
    expect(builds[1]).toEqual({ ...build, version: 1 });
    expect(await store.deleteTrainingFile('tf_b')).toBe(true);
    expect(await store.trainingFileBuilds('tf_b')).toEqual([]);
    expect(await store.deleteTrainingFile('tf_b')).toBe(false);
  });

  test('reads blocks as the JSON text written: tool inputs keep their key order', async (store, projectId) => {
    const blocks: Block[] = [
      { type: 'text', text: 'run it' },
      {
        type: 'tool_use',
        id: 't1',
        name: 'Task',
        input: { prompt: 'p', description: 'd', zeta: { b: 1, a: [2.5, 'x'] } },
      },
    ];
    const session = await writeSession(store, projectId, 'ordered', [{ id: 'o1', blocks }]);
    const [message] = await store.trainingMessages(session);
    expect(message!.blocksJson).toBe(JSON.stringify(blocks));
  });

  test('leaves out messages the agent rewound (undone turns are not training data)', async (store, projectId) => {
    const session = await writeSession(store, projectId, 'rewound', [
      { id: 'r1', blocks: text('kept') },
      { id: 'r2', blocks: text('undone'), meta: { rewound: true } },
      { id: 'r3', blocks: text('also kept'), meta: { rewound: false } },
    ]);
    const messages = await store.trainingMessages(session);
    expect(messages.map((m) => m.contentHash)).toEqual(['h-r1', 'h-r3']);
  });

  test('says whether sessions finished processing, and reads them for a build', async (store, projectId) => {
    const done = await writeSession(store, projectId, 'done', [
      {
        id: 'd2',
        blocks: [{ type: 'tool_use', id: 't', name: 'Bash', input: { c: 1 } }],
        domain: 'debugging',
        at: 2,
      },
      { id: 'd1', blocks: text('first'), domain: 'debugging', at: 1 },
      { id: 'd3', blocks: [], domain: 'testing_validation', at: 3 },
    ]);
    const raw = await writeSession(store, projectId, 'raw', [
      { id: 'r1', blocks: text('x'), enriched: false },
      { id: 'r2', blocks: text('y') },
    ]);
    const readiness = await store.sessionReadiness(projectId, [raw, 'ses_gone', done]);
    expect(readiness).toEqual([
      { sessionId: raw, status: 'imported', messages: 2, unenriched: 1 },
      { sessionId: 'ses_gone', status: null, messages: 0, unenriched: 0 },
      { sessionId: done, status: 'imported', messages: 3, unenriched: 0 },
    ]);
    const messages = await store.trainingMessages(done);
    expect(messages.map((m) => [m.role, JSON.parse(m.blocksJson) as unknown, m.text])).toEqual([
      ['user', text('first'), ''],
      ['user', [{ type: 'tool_use', id: 't', name: 'Bash', input: { c: 1 } }], ''],
      ['user', [], ''],
    ]);
    expect(messages[0]).toMatchObject({
      kind: 'message',
      speaker: null,
      responseId: null,
      contentHash: 'h-d1',
    });
    expect(await store.sessionTopLabels(done, ['domain', 'tier'])).toEqual({
      domain: 'debugging',
      tier: null,
    });
  });
}
