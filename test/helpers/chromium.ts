/**
 * Headless Chromium screenshots of local pages, for tests that check a report renders. Networking is
 * off (the flags the machine notes give for a closed network); tests skip without Chromium unless
 * XRAY_REQUIRE_CHROMIUM=1 makes its absence a failure.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const CHROMIUM = process.env.XRAY_CHROMIUM ?? '/usr/bin/chromium';
/** Chromium is there, or its absence must fail the tests (XRAY_REQUIRE_CHROMIUM=1). */
export const CAN_SCREENSHOT = existsSync(CHROMIUM) || process.env.XRAY_REQUIRE_CHROMIUM === '1';
if (!CAN_SCREENSHOT) console.warn(`report screenshot tests skipped: no Chromium at ${CHROMIUM} (set XRAY_REQUIRE_CHROMIUM=1 to fail instead)`);

/** Opens `htmlPath` in headless Chromium at the window size and returns the screenshot's path (PNG). */
export async function screenshotPage(htmlPath: string, width: number, height: number, workDir: string): Promise<string> {
  const shot = join(workDir, 'screenshot.png');
  await promisify(execFile)(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${join(workDir, 'chromium-profile')}`,
      '--hide-scrollbars',
      `--screenshot=${shot}`,
      `--window-size=${width},${height}`,
      `file://${htmlPath}`,
    ],
    { timeout: 90_000 },
  );
  return shot;
}
