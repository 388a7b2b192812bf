/** `npm run bench -- sdk`: the SDK's share of the bundle for both import styles (see scripts/measure-sdk.ts). */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export function run(): Promise<void> {
  const script = fileURLToPath(new URL('../scripts/measure-sdk.ts', import.meta.url));
  execFileSync(process.execPath, ['--import', 'tsx', script], { stdio: 'inherit' });
  return Promise.resolve();
}
