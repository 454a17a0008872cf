import { describe, expect, it } from 'vitest';
import { TrainingFiles } from '../../src/datasets/training-files.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { openAgentlog, seedCodingSessions } from './dataset-fixture.ts';

const tempDir = useTempDirs();

describe('dataset build with worker threads', () => {
  it('gives the same bytes as a build on one thread', async () => {
    const agentlog = await openAgentlog(tempDir());
    try {
      await seedCodingSessions(agentlog, 420);
      const filesWith = (workers: number) =>
        new TrainingFiles({
          store: agentlog.store,
          blobs: agentlog.blobs,
          projectId: agentlog.project.id,
          config: { ...agentlog.config.datasets, workers },
        });
      await filesWith(0).create({ name: 'many', filter: 'source=fixture' });
      const alone = await filesWith(0).build('many');
      const pooled = await filesWith(2).build('many');
      expect(pooled.examples).toBe(alone.examples);
      expect(pooled.examples).toBeGreaterThan(400);
      expect(pooled.digest).toBe(alone.digest);
      expect(pooled.files.map((f) => f.sha256)).toEqual(alone.files.map((f) => f.sha256));
    } finally {
      await agentlog.close();
    }
  });
});
