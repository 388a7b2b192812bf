/**
 * Security headers for the built site (reliability checklist #7).
 * - `vite preview` serves them on every response (and, for tests and the demo, can serve a
 *   config.json given in the `WUD_CONFIG` environment variable instead of the built one).
 * - `vite build` writes ready-to-use copies for static hosts: `dist/_headers` (Netlify/Cloudflare
 *   Pages style) and `dist/nginx-security-headers.conf`, plus `dist/404.html` for hosts without rewrites.
 * The CSP's only exception is the hash of Spark's inline hydration style, computed from the installed Spark.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';
import { appConfigSchema, embeddingOrigins, platformOrigins, streamingOrigins, type AppConfig } from '../src/config/schema.ts';
import { sparkStyleHash } from './spark-assets.ts';

export function contentSecurityPolicy(config: AppConfig, styleHash = sparkStyleHash()): string {
  // HTTP API/login hosts, then the notification sockets (wrapup-watch.ts).
  const platform = [...platformOrigins(config), ...streamingOrigins(config)];
  const frame = embeddingOrigins(config);
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' ${styleHash}`,
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${platform.join(' ')}`.trim(),
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    `frame-ancestors ${frame.length ? frame.join(' ') : "'none'"}`,
  ].join('; ');
}

export function securityHeadersFor(config: AppConfig, styleHash?: string): Record<string, string> {
  const embedded = embeddingOrigins(config).length > 0;
  return {
    'Content-Security-Policy': contentSecurityPolicy(config, styleHash),
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
    // No Cross-Origin-Opener-Policy: `same-origin-allow-popups` would also apply to the login
    // popup when it comes back from the login host to the app (the redirect URI is the app itself),
    // which moves the popup into a new browsing context group: it loses `window.opener` and can no
    // longer hand its answer over (measured: e2e/auth.spec.ts popup sign-ins fail with it).
    // Forged answers are stopped in the app instead (lib/genesys/client.ts guardAuthPopupMessages).
    ...(embedded ? {} : { 'X-Frame-Options': 'DENY' }),
  };
}

export function parseConfigText(text: string, source: string): AppConfig {
  const parsed = appConfigSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${source}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

export function headersFile(headers: Record<string, string>, base: string): string {
  return `${base}*\n${Object.entries(headers)
    .map(([k, v]) => `  ${k}: ${v}`)
    .join('\n')}\n`;
}

export function nginxSnippet(headers: Record<string, string>): string {
  return (
    Object.entries(headers)
      .map(([k, v]) => `add_header ${k} "${v}" always;`)
      .join('\n') + '\n'
  );
}

export function securityHeaders(opts: { base: string; mode: string }): Plugin {
  let outDir = 'dist';
  let publicDir = 'public';
  return {
    name: 'wud:security-headers',
    configResolved(config) {
      outDir = config.build.outDir;
      publicDir = config.publicDir;
    },
    closeBundle() {
      if (opts.mode === 'test') return;
      const indexHtml = join(outDir, 'index.html');
      if (!existsSync(indexHtml)) return;
      // Static hosts without rewrite rules serve 404.html for deep links; it is the app itself.
      writeFileSync(join(outDir, '404.html'), readFileSync(indexHtml));
      const config = parseConfigText(readFileSync(join(publicDir, 'config.json'), 'utf8'), 'public/config.json');
      const headers = securityHeadersFor(config);
      writeFileSync(join(outDir, '_headers'), headersFile(headers, opts.base));
      writeFileSync(join(outDir, 'nginx-security-headers.conf'), nginxSnippet(headers));
    },
    configurePreviewServer(server) {
      const override = process.env.WUD_CONFIG;
      const configText = override ?? readFileSync(join(server.config.build.outDir, 'config.json'), 'utf8');
      const headers = securityHeadersFor(parseConfigText(configText, override ? 'WUD_CONFIG' : 'dist/config.json'));
      const configPath = `${opts.base}config.json`;
      server.middlewares.use((req, res, next) => {
        for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
        if (override && req.url?.split('?')[0] === configPath) {
          res.setHeader('Content-Type', 'application/json');
          res.setHeader('Cache-Control', 'no-store');
          res.end(override);
          return;
        }
        next();
      });
    },
  };
}
