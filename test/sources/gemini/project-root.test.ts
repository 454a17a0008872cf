import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../support/temp-dir.ts';
import { geminiFixtures, importGemini, sessionByExternalId, withStore } from './imported-store.ts';

const tempDir = useTempDirs();

// Gemini records no working directory; its project folder's `.project_root` names the project root.
describe('Gemini: the working directory from .project_root', () => {
  it('gives every chat beside the marker its root, and a folder without one none', async () => {
    const data = tempDir();
    const summary = await importGemini(data, [join(geminiFixtures, 'project-root', 'tmp')]);
    expect(summary).toMatchObject({ files: 4, filesSkipped: 0, sessions: 4, skippedLines: [] });
    await withStore(data, async (agentlog) => {
      const cwdOf = async (externalId: string) => (await sessionByExternalId(agentlog, externalId)).cwd;
      // A JSON Lines chat, a sub-agent's chat one folder deeper, and a legacy JSON document.
      expect(await cwdOf('c0ffee10-5e55-4a1d-9b0b-000000000010')).toBe('/home/dev/garden');
      expect(await cwdOf('5ab0a6e1-7c3d-4e2f-8a9b-000000000011')).toBe('/home/dev/garden');
      expect(await cwdOf('c0ffee12-5e55-4a1d-9b0b-000000000012')).toBe('/home/dev/garden');
      // An older hash-named folder has no marker.
      expect(await cwdOf('c0ffee13-5e55-4a1d-9b0b-000000000013')).toBeNull();
    });
  });
});
