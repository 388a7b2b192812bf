/**
 * Measures what the Genesys SDK costs in the browser bundle for the two ways of importing it
 * (genesys-platform.md §6): the package root aliased to its ESM source, or deep imports of the API
 * classes the app uses (what src/lib/genesys/sdk.ts does). Prints one JSON line.
 *   npx tsx scripts/measure-sdk.ts
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const sdkSrc = 'purecloud-platform-client-v2/src/purecloud-platform-client-v2';

const entries: Record<string, string> = {
  root: `import platformClient from 'purecloud-platform-client-v2';\nconsole.log(platformClient.ApiClient.instance, new platformClient.ConversationsApi(), new platformClient.RoutingApi(), new platformClient.UsersApi(), new platformClient.TokensApi());\n`,
  deep: [
    `import ApiClient from '${sdkSrc}/ApiClient.js';`,
    `import DefaultHttpClient from '${sdkSrc}/DefaultHttpClient.js';`,
    `import ConversationsApi from '${sdkSrc}/api/ConversationsApi.js';`,
    `import RoutingApi from '${sdkSrc}/api/RoutingApi.js';`,
    `import UsersApi from '${sdkSrc}/api/UsersApi.js';`,
    `import TokensApi from '${sdkSrc}/api/TokensApi.js';`,
    `console.log(new ApiClient(), DefaultHttpClient, ConversationsApi, RoutingApi, UsersApi, TokensApi);`,
  ].join('\n'),
};

async function measure(name: string, code: string) {
  // Inside the project so bare imports resolve from node_modules.
  const dir = join(root, 'node_modules', '.cache', `measure-sdk-${name}`);
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, 'entry.js');
  writeFileSync(entry, code);
  const outDir = join(dir, 'out');
  await build({
    root,
    configFile: false,
    publicDir: false,
    logLevel: 'silent',
    resolve: {
      alias: [
        { find: /^purecloud-platform-client-v2$/, replacement: `${sdkSrc}/index.js` },
        { find: /^winston$/, replacement: join(root, 'src/lib/genesys/stubs/winston.ts') },
        { find: /^configparser$/, replacement: join(root, 'src/lib/genesys/stubs/configparser.ts') },
      ],
    },
    build: { outDir, emptyOutDir: true, minify: true, rollupOptions: { input: entry } },
  });
  let raw = 0;
  let gz = 0;
  for (const f of readdirSync(outDir, { recursive: true }) as string[]) {
    if (!f.endsWith('.js')) continue;
    const buf = readFileSync(join(outDir, f));
    raw += buf.length;
    gz += gzipSync(buf).length;
  }
  return { raw_kb: +(raw / 1024).toFixed(1), gzip_kb: +(gz / 1024).toFixed(1) };
}

const result: Record<string, unknown> = { bench: 'sdk-bundle' };
for (const [name, code] of Object.entries(entries)) result[name] = await measure(name, code);
console.log(JSON.stringify(result));
