import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  hasSharedFixtures,
  ownFixtures,
  sharedSkipReason,
  sharedTranscripts,
} from '../support/shared-fixtures.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { agentlogDaily, ccusageDaily, ccusageMissing, type UsageByDay } from './ccusage.ts';

const tempDir = useTempDirs();
const usageFixtures = join(ownFixtures, 'usage');
const cases = readdirSync(usageFixtures, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

/** What ccusage 20.0.24 printed for a case, per time zone (`ccusage-daily.json` beside its projects). */
function recorded(name: string): Record<string, UsageByDay> {
  const file = JSON.parse(readFileSync(join(usageFixtures, name, 'ccusage-daily.json'), 'utf8')) as {
    ccusage: string;
    byZone: Record<string, UsageByDay>;
  };
  expect(file.ccusage).toBe('20.0.24');
  return file.byZone;
}

describe('token usage equals what ccusage 20.0.24 reports, to the token', () => {
  it('has the rule cases', () => {
    expect(cases).toContain('sidechains');
    expect(cases.length).toBeGreaterThanOrEqual(8);
  });

  for (const name of cases) {
    it(`on test/fixtures/usage/${name} (ccusage's recorded output)`, async () => {
      const expected = recorded(name);
      const zones = Object.keys(expected);
      const ours = await agentlogDaily(join(usageFixtures, name), tempDir(), zones);
      for (const zone of zones) {
        expect(expected[zone]!.days.length, `usage in ${name}`).toBeGreaterThan(0);
        expect({ zone, ...ours.get(zone) }).toEqual({ zone, ...expected[zone] });
      }
    });
  }

  describe.skipIf(ccusageMissing !== null)(
    `ccusage itself${ccusageMissing === null ? '' : ` (skipped: ${ccusageMissing})`}`,
    () => {
      it('still prints the recorded output for every case', () => {
        for (const name of cases) {
          for (const [zone, expected] of Object.entries(recorded(name))) {
            expect({ name, zone, ...ccusageDaily(join(usageFixtures, name), zone) }).toEqual({
              name,
              zone,
              ...expected,
            });
          }
        }
      });

      it.skipIf(!hasSharedFixtures)(
        `agrees on the shared real transcripts${hasSharedFixtures ? '' : ` (skipped: ${sharedSkipReason})`}`,
        async () => {
          const configDir = join(sharedTranscripts, 'claude-code');
          const zones = ['UTC', 'America/Los_Angeles', 'Asia/Kathmandu'];
          const ours = await agentlogDaily(configDir, tempDir(), zones);
          for (const zone of zones) {
            const theirs = ccusageDaily(configDir, zone);
            expect(theirs.days.length).toBeGreaterThan(0);
            expect({ zone, ...ours.get(zone) }).toEqual({ zone, ...theirs });
          }
        },
      );
    },
  );
});
