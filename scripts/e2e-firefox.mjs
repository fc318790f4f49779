// Runs the Firefox e2e suite (tests/e2e-firefox, vitest project "e2e-firefox") against the Firefox test
// build (`npm run build:test:firefox` → .output-test/firefox-mv3), in Firefox ESR over WebDriver BiDi.
// Never skips: a missing Firefox or a missing build is a failure, with what to do about it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const firefox = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
if (!existsSync(firefox)) {
  console.error(`e2e-firefox: Firefox is missing at ${firefox}. Install it with "apt-get install -y firefox-esr" (or set FIREFOX_PATH).`);
  process.exit(1);
}
const build = join(root, process.env.ALTSIGHT_FIREFOX_EXTENSION_DIR ?? '.output-test/firefox-mv3');
if (!existsSync(join(build, 'manifest.json'))) {
  console.error(`e2e-firefox: no Firefox test build in ${build}. Run "npm run build:test:firefox" first.`);
  process.exit(1);
}
if (!existsSync(join(root, 'node_modules/puppeteer-core/package.json'))) {
  console.error('e2e-firefox: puppeteer-core is missing. Run "npm install".');
  process.exit(1);
}
console.log(`\n== e2e in Firefox (${firefox}) ==`);
const run = spawnSync('npx', ['vitest', 'run', '--project', 'e2e-firefox', '--no-file-parallelism', ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: root,
  env: process.env,
});
process.exit(run.status ?? 1);
