/**
 * What every browser test runs in: Debian's Chromium (Playwright never downloads browsers here),
 * a desktop viewport, English and UTC, screenshots of every test, a trace of failed ones.
 */
import { devices, type PlaywrightTestConfig } from '@playwright/test';

export function browserUse(baseURL: string): PlaywrightTestConfig['use'] {
  return { baseURL, screenshot: 'on', trace: 'retain-on-failure', locale: 'en-US', timezoneId: 'UTC' };
}

export const CHROMIUM_PROJECT = {
  name: 'chromium',
  use: {
    ...devices['Desktop Chrome'],
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        // One argv element, so no shell quotes: every host but loopback fails to resolve.
        '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost',
      ],
    },
  },
};
