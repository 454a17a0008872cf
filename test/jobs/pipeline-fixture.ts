import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Job } from '../../src/domain/job.ts';
import { ownFixtures } from '../support/shared-fixtures.ts';
import { bearer, type injectable } from '../server/server-fixture.ts';

export type Fixture = Awaited<ReturnType<typeof injectable>>;

/** API messages of a fixture conversation (test/fixtures/jobs/<name>.json). */
export function conversation(name: 'answered' | 'unanswered'): Record<string, unknown>[] {
  return JSON.parse(readFileSync(join(ownFixtures, 'jobs', `${name}.json`), 'utf8')) as Record<
    string,
    unknown
  >[];
}

export async function send(f: Fixture, messages: unknown[]): Promise<void> {
  const res = await f.app.inject({
    method: 'POST',
    url: '/v1/messages:batch',
    headers: bearer(f.key),
    payload: { messages },
  });
  expect(res.statusCode).toBe(207);
}

export async function stop(f: Fixture, session: string, reason?: string): Promise<string> {
  const res = await f.app.inject({
    method: 'POST',
    url: `/v1/sessions/${session}/stop`,
    headers: bearer(f.key),
    ...(reason === undefined ? {} : { payload: { reason } }),
  });
  expect(res.statusCode).toBe(200);
  return (res.json() as { session: { id: string } }).session.id;
}

export async function sessionStatus(f: Fixture, session: string): Promise<string> {
  const res = await f.app.inject({ method: 'GET', url: `/v1/sessions/${session}`, headers: bearer(f.key) });
  return (res.json() as { session: { status: string } }).session.status;
}

export async function onlyJob(f: Fixture): Promise<Job> {
  const jobs = await f.agentlog.jobs.list({});
  expect(jobs).toHaveLength(1);
  return jobs[0]!;
}
