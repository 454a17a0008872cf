import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The real transcripts in ../shared/fixtures; tests that need them skip, visibly, where it is absent. */
export const sharedTranscripts = resolve(projectRoot, '..', 'shared', 'fixtures', 'transcripts');
export const hasSharedFixtures = existsSync(sharedTranscripts);
export const sharedSkipReason = `../shared/fixtures/transcripts not found beside the checkout (${sharedTranscripts})`;

export const claudeProjects = join(sharedTranscripts, 'claude-code', 'projects');

/** Our own small fixtures, modelled on the real ones. */
export const ownFixtures = join(projectRoot, 'test', 'fixtures');
