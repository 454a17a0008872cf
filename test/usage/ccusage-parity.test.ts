import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  hasSharedFixtures,
  ownFixtures,
  sharedSkipReason,
  sharedTranscripts,
} from '../support/shared-fixtures.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { agentlogDaily, ccusageDaily, ccusageMissing } from './ccusage.ts';

const tempDir = useTempDirs();
const usageFixtures = join(ownFixtures, 'usage');
const cases = readdirSync(usageFixtures, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

/** Zones with whole-hour, half-hour and 45-minute offsets, on both sides of UTC. */
const zones = [
  'UTC',
  'Asia/Tokyo',
  'America/Los_Angeles',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'America/St_Johns',
  'Pacific/Chatham',
];

async function expectSameDays(configDir: string, timezones: string[]) {
  const ours = await agentlogDaily(configDir, tempDir(), timezones);
  for (const timezone of timezones) {
    const theirs = ccusageDaily(configDir, timezone);
    expect(theirs.days.length, `ccusage found usage in ${configDir}`).toBeGreaterThan(0);
    expect({ timezone, ...ours.get(timezone) }).toEqual({ timezone, ...theirs });
  }
}

describe.skipIf(ccusageMissing !== null)(
  `token usage equals ccusage's to the token${ccusageMissing === null ? '' : ` (skipped: ${ccusageMissing})`}`,
  () => {
    it('has the rule cases', () => {
      expect(cases).toContain('sidechains');
      expect(cases.length).toBeGreaterThanOrEqual(8);
    });

    for (const name of cases) {
      it(`on test/fixtures/usage/${name}`, async () => {
        await expectSameDays(join(usageFixtures, name), name === 'timezones' ? zones : ['UTC']);
      });
    }

    it.skipIf(!hasSharedFixtures)(
      `on the shared real transcripts${hasSharedFixtures ? '' : ` (skipped: ${sharedSkipReason})`}`,
      async () => {
        await expectSameDays(join(sharedTranscripts, 'claude-code'), ['UTC', 'America/Los_Angeles']);
      },
    );
  },
);
