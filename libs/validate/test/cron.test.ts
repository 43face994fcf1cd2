/** cronScheduleProblem against what kube-apiserver 1.36 (robfig/cron v3 ParseStandard + TZ rules) decides. */
import { describe, expect, it } from 'vitest';
import { cronScheduleProblem, timeZoneProblem } from '../src';

describe('cronScheduleProblem', () => {
  const accepted = [
    '* * * * *', '0 3 * * *', '*/15 * * * *', '0 0 1 1 *', '59 23 31 12 6', '0 9-17/2 * * mon-fri', '0 0 ? JAN,jul SUN',
    '5,10,15-20/5 * * * *', '0 0 * * 0', '3/10 * * * *', '  0 3 * * *  ', '@yearly', '@annually', '@monthly', '@weekly',
    '@daily', '@midnight', '@hourly', '@every 5m', '@every 1h30m', '@every 1.5h',
  ];
  for (const s of accepted) it(`accepts ${JSON.stringify(s)}`, () => expect(cronScheduleProblem(s)).toBeUndefined());

  const rejected: Array<[string, RegExp]> = [
    ['61 * * * *', /minute: 61 is above the maximum 59/],
    ['0 0 */5 * * *', /expected exactly 5 fields .* found 6/],
    ['0 3 * *', /found 4/],
    ['* 24 * * *', /hour: 24 is above the maximum 23/],
    ['0 0 0 * *', /day of month: 0 is below the minimum 1/],
    ['0 0 * 13 *', /month: 13 is above the maximum 12/],
    ['0 3 * * 7', /day of week: 7 is above the maximum 6/],
    ['0 3 L * *', /"L" is not a number/],
    ['0 3 * * 1#2', /"1#2" is not a number/],
    ['H * * * *', /"H" is not a number/],
    ['5-1 * * * *', /range start 5 is beyond its end 1/],
    ['*/0 * * * *', /step must be a positive number/],
    ['1-2-3 * * * *', /too many hyphens/],
    ['*/2/3 * * * *', /too many slashes/],
    ['0 0 * foo *', /month: "foo" is not a number or a name/],
    ['@fortnightly', /unknown descriptor/],
    ['@Daily', /unknown descriptor/],
    ['@every', /unknown descriptor/],
    ['@every 5', /not a duration/],
    ['TZ=UTC 0 3 * * *', /use the timeZone field/],
    ['CRON_TZ=Europe/Amsterdam 0 3 * * *', /use the timeZone field/],
    ['', /empty/],
  ];
  for (const [s, why] of rejected) it(`rejects ${JSON.stringify(s)}`, () => expect(cronScheduleProblem(s)).toMatch(why));

  it('checks timeZone like kube-apiserver: explicit IANA names only', () => {
    expect(cronScheduleProblem('0 3 * * *', 'Europe/Amsterdam')).toBeUndefined();
    expect(timeZoneProblem('UTC')).toBeUndefined();
    expect(timeZoneProblem('Etc/GMT+5')).toBeUndefined();
    expect(timeZoneProblem('Local')).toMatch(/not Local/);
    expect(timeZoneProblem('')).toMatch(/non-empty/);
    expect(timeZoneProblem('Mars/Base')).toMatch(/not a known IANA time zone/);
    expect(timeZoneProblem('../etc/passwd')).toMatch(/not a valid time zone name/);
  });
});
