/**
 * Prints the security headers for a deployment's config.json, in both static-host formats.
 *   npm run headers -- dist/config.json [/base/]
 */
import { readFileSync } from 'node:fs';
import { headersFile, nginxSnippet, parseConfigText, securityHeadersFor } from './security-headers.ts';

const [file = 'public/config.json', base = '/'] = process.argv.slice(2);
const headers = securityHeadersFor(parseConfigText(readFileSync(file, 'utf8'), file));
console.log(`# _headers (Netlify, Cloudflare Pages)\n${headersFile(headers, base)}\n# nginx (inside the app's location block)\n${nginxSnippet(headers)}`);
