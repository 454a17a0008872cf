import { existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { startReportSchedule } from '../../src/analytics/report/report-schedule.ts';
import { runReport, type ReportDeps } from '../../src/analytics/report/run-report.ts';
import { startCheckpointSchedule } from '../../src/archive/checkpoint-schedule.ts';
import { FsBlobStore } from '../../src/storage/fs/fs-blob-store.ts';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { writeBare } from './seed.ts';

type Received = { to: string[]; raw: string };

describe('collaboration score alerts', () => {
  const tempDir = useTempDirs();
  const servers: SMTPServer[] = [];
  afterEach(() => {
    for (const s of servers.splice(0)) s.close();
  });

  async function smtpServer(): Promise<{ url: string; mails: Received[] }> {
    const mails: Received[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, done) {
        let raw = '';
        stream.on('data', (d: Buffer) => (raw += d.toString()));
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
          done();
        });
      },
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `smtp://127.0.0.1:${(server.server.address() as { port: number }).port}`, mails };
  }

  async function deps(dir: string, smtpUrl: string | undefined): Promise<ReportDeps> {
    const store = new SqliteStore(join(dir, 'agentlog.db'));
    const project = await store.ensureProject('default');
    await writeBare(store, project.id, 'api', [
      { session: 's', id: 'a', role: 'user', text: 'hello', timestamp: Date.UTC(2025, 0, 1) },
      { session: 's', id: 'b', role: 'assistant', text: 'hi', timestamp: Date.UTC(2025, 0, 3) },
    ]);
    return {
      store,
      project,
      dataDir: dir,
      reports: {},
      notify: { to: ['lead@example.com'], ...(smtpUrl === undefined ? {} : { smtpUrl }) },
    };
  }

  it('stores an alert and e-mails it when the score is below the threshold', async () => {
    const smtp = await smtpServer();
    const d = await deps(tempDir(), smtp.url);
    const above = await runReport(d, { formats: ['md'], alertBelow: 1, now: Date.now() });
    expect(above.alert).toBeNull();
    const below = await runReport(d, { formats: ['html'], alertBelow: 90, now: Date.now() });
    expect(below.alert?.delivery.status).toBe('sent');
    expect(below.alert?.alert).toMatchObject({
      kind: 'collaboration_score',
      threshold: 90,
      notifyError: null,
    });
    expect(below.alert?.alert.report).toBe(below.files[0]);
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.to).toEqual(['lead@example.com']);
    expect(smtp.mails[0]!.raw).toMatch(/Subject: agentlog: collaboration score [\d.]+ < 90/);
    const stored = await d.store.listAlerts(d.project.id, 10);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.notifiedAt).not.toBeNull();
    await d.store.close();
  });

  it('keeps the alert and notes why when the mail cannot be sent', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const port = (probe.address() as { port: number }).port;
        probe.close(() => resolve(port));
      });
    });
    const d = await deps(tempDir(), `smtp://127.0.0.1:${closed}`);
    const outcome = await runReport(d, { formats: ['json'], alertBelow: 90, now: Date.now() });
    expect(outcome.alert?.delivery.status).toBe('failed');
    const [stored] = await d.store.listAlerts(d.project.id, 10);
    expect(stored!.notifiedAt).toBeNull();
    expect(stored!.notifyError).toMatch(/ECONNREFUSED|connect/i);
    await d.store.close();
  });

  it('runs on the server’s schedules: reports every interval, checkpoints when something is new', async () => {
    const dir = tempDir();
    const d = await deps(dir, undefined);
    const log = { info: () => {}, error: (details: object) => expect(details).toBeUndefined() };
    const reports = startReportSchedule({ ...d, reports: { every: '0.05s' } }, log)!;
    const checkpoints = startCheckpointSchedule(
      { store: d.store, blobs: new FsBlobStore(join(dir, 'blobs')), project: d.project },
      { checkpointEveryMinutes: 0.001 },
      log,
    )!;
    const until = async (done: () => Promise<boolean>) => {
      while (!(await done())) await new Promise((resolve) => setTimeout(resolve, 20));
    };
    await until(async () => (await d.store.listCheckpoints(d.project.id)).length === 1);
    await until(
      async () => existsSync(join(dir, 'reports')) && readdirSync(join(dir, 'reports')).length >= 3,
    );
    await reports.stop();
    await checkpoints.stop();
    expect(startReportSchedule({ ...d, reports: {} }, log)).toBeNull();
    expect((await d.store.listCheckpoints(d.project.id)).length).toBe(1);
    await d.store.close();
  });
});
