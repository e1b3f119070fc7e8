/**
 * Headless Chromium for the end-to-end tests: Debian's `chromium` package (`.ci/run` installs it),
 * driven by playwright-core. Without it the tests are skipped with a loud warning, except in CI,
 * where a missing browser is a failure.
 */
import { existsSync } from 'node:fs';

const CANDIDATES = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
].filter((p): p is string => Boolean(p));

export const chromiumPath: string | null = CANDIDATES.find((p) => existsSync(p)) ?? null;

if (!chromiumPath) {
  const msg = `\n${'!'.repeat(78)}\n! The browser tests of @mnist/web need Chromium (apt-get install -y chromium);\n! none was found at ${CANDIDATES.join(', ')}.\n${'!'.repeat(78)}\n`;
  if (process.env.CI) throw new Error(`CI: ${msg}`);
  console.warn(`${msg}! SKIPPING the end-to-end browser tests.\n`);
}
