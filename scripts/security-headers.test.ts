import { createHash } from 'node:crypto';
import { appConfigSchema, platformOrigins, streamingOrigins } from '../src/config/schema.ts';
import { contentSecurityPolicy, headersFile, nginxSnippet, securityHeadersFor } from './security-headers.ts';
import { sparkHydrationStyle, sparkStyleHash } from './spark-assets.ts';

const cfg = (o: Record<string, unknown>) => appConfigSchema.parse({ clientId: 'x', ...o });

describe('security headers', () => {
  it('limits connect-src to the app and the configured region', () => {
    const csp = contentSecurityPolicy(cfg({ region: 'mypurecloud.ie' }), "'sha256-abc'");
    expect(csp).toContain("connect-src 'self' https://api.mypurecloud.ie https://login.mypurecloud.ie wss://streaming.mypurecloud.ie;");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("style-src 'self' 'sha256-abc';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-(eval|inline)/);
  });

  it('adds extra regions, the sim, and the Genesys apps origin when embedding is on', () => {
    const csp = contentSecurityPolicy(cfg({ region: 'mypurecloud.de', extraRegions: ['usw2.pure.cloud'], embedding: { enabled: true } }), "'sha256-x'");
    expect(csp).toContain(
      "connect-src 'self' https://api.mypurecloud.de https://login.mypurecloud.de https://api.usw2.pure.cloud https://login.usw2.pure.cloud wss://streaming.mypurecloud.de wss://streaming.usw2.pure.cloud;",
    );
    expect(csp).toContain('frame-ancestors https://apps.mypurecloud.de');
    const sim = contentSecurityPolicy(cfg({ region: 'sim', simUrl: 'http://127.0.0.1:4010' }), "'sha256-x'");
    expect(sim).toContain("connect-src 'self' http://127.0.0.1:4010 ws://127.0.0.1:4010;");
    expect(sim).not.toContain('wss://streaming.');
    const headers = securityHeadersFor(cfg({ region: 'mypurecloud.de', embedding: { enabled: true } }), "'sha256-x'");
    expect(headers['X-Frame-Options']).toBeUndefined();
    expect(securityHeadersFor(cfg({ region: 'mypurecloud.de' }), "'sha256-x'")['X-Frame-Options']).toBe('DENY');
  });

  it('allows the notification sockets only for the allowed regions, apart from the HTTP origins', () => {
    const config = cfg({ region: 'mypurecloud.ie', extraRegions: ['mypurecloud.de'] });
    expect(streamingOrigins(config)).toEqual(['wss://streaming.mypurecloud.ie', 'wss://streaming.mypurecloud.de']);
    expect(platformOrigins(config).every((o) => o.startsWith('https://'))).toBe(true);
    expect(contentSecurityPolicy(config, "'sha256-x'")).not.toContain('streaming.mypurecloud.com');
    expect(streamingOrigins(cfg({ region: 'sim', simUrl: 'https://sim.example.test:8443/base' }))).toEqual(['wss://sim.example.test:8443']);
    expect(streamingOrigins(cfg({ region: 'sim', simUrl: 'http://localhost:4010' }))).toEqual(['ws://localhost:4010']);
  });

  it('hashes the exact hydration style Spark injects', () => {
    const style = sparkHydrationStyle();
    expect(style).toMatch(/^(slot-fb\{display:contents\}slot-fb\[hidden\]\{display:none\})?gux-accordion,/);
    expect(style.endsWith('{visibility:hidden}[hydrated]{visibility:inherit}')).toBe(true);
    expect(sparkStyleHash()).toBe(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
  });

  it('sends no Cross-Origin-Opener-Policy: it would cut the login popup off from the app (issue 14)', () => {
    for (const embedding of [{ enabled: false }, { enabled: true }])
      expect(securityHeadersFor(cfg({ region: 'mypurecloud.ie', embedding }), "'sha256-x'")['Cross-Origin-Opener-Policy']).toBeUndefined();
  });

  it('writes static-host files', () => {
    const h = { 'Referrer-Policy': 'no-referrer' };
    expect(headersFile(h, '/wrapup-desk/')).toBe('/wrapup-desk/*\n  Referrer-Policy: no-referrer\n');
    expect(nginxSnippet(h)).toBe('add_header Referrer-Policy "no-referrer" always;\n');
  });
});
