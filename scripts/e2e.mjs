// Runs the e2e suite twice against the built extension: WASM, then WebGPU on SwiftShader.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.error(`e2e: Chromium is missing at ${chromium}. Install it with "apt-get install -y chromium" (CI's .ci/run does).`);
  process.exit(1);
}
const backends = (process.env.ALTSIGHT_E2E_BACKENDS ?? 'wasm,webgpu').split(',');
for (const backend of backends) {
  console.log(`\n== e2e on ${backend} ==`);
  const run = spawnSync('npx', ['vitest', 'run', '--project', 'e2e', '--no-file-parallelism', ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, ALTSIGHT_E2E_BACKEND: backend },
  });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
