import { describe, expect, it } from 'vitest';
import { runCli } from './support/run-cli.ts';
import { claudeProjects, hasSharedFixtures, sharedSkipReason } from './support/shared-fixtures.ts';
import { useTempDirs } from './support/temp-dir.ts';

const tempDir = useTempDirs();

describe.skipIf(!hasSharedFixtures)(
  `import claude on the shared fixtures${hasSharedFixtures ? '' : ` (skipped: ${sharedSkipReason})`}`,
  () => {
    it('imports every transcript and a second run adds nothing', async () => {
      const home = tempDir();
      const first = await runCli(['--data-dir', home, 'import', 'claude', claudeProjects, '--json']);
      expect(first.code).toBe(0);
      const summary = JSON.parse(first.stdout);
      expect(summary.files).toBe(7);
      expect(summary.newMessages).toBe(summary.messages);
      expect(summary.newMessages).toBeGreaterThan(200);
      const second = JSON.parse(
        (await runCli(['--data-dir', home, 'import', 'claude', claudeProjects, '--json'])).stdout,
      );
      expect(second.newMessages).toBe(0);
      expect(second.filesUnchanged).toBe(7);
    });
  },
);
