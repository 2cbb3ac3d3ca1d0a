import { existsSync } from 'node:fs';
import { run } from './run.ts';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Makes sure Debian's Chromium is installed for the browser tests. Browsers are never downloaded
 * by Playwright here: the machine reaches only the npm registry and Debian's archive.
 */
export async function ensureChromium(): Promise<void> {
  if (existsSync(CHROMIUM)) return;
  const isRoot = process.getuid?.() === 0;
  const isDebian = existsSync('/etc/debian_version');
  if (!isRoot || !isDebian) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}. Install it with: sudo apt-get install -y chromium (Debian/Ubuntu), then run npm test again.`,
    );
  }
  console.log('Installing Debian Chromium for the browser tests (apt-get install chromium)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if ((await run('apt-get', ['update', '-qq'], env)) !== 0 || (await run('apt-get', ['install', '-y', '-qq', 'chromium'], env)) !== 0) {
    throw new Error('apt-get could not install chromium; install it by hand and run npm test again.');
  }
}
