import { loadConfig } from './load-config.ts';

const known = (h: string) => h === 'mypurecloud.ie';
const respond =
  (body: string, status = 200): typeof fetch =>
  () =>
    Promise.resolve(new Response(body, { status }));

describe('runtime config', () => {
  it('accepts a valid region config and fills defaults', async () => {
    const r = await loadConfig(known, respond(JSON.stringify({ region: 'mypurecloud.ie', clientId: 'abc' })), '/config.json');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.config.grant).toBe('pkce');
      expect(r.config.rateLimit).toEqual({ requestsPerMinute: 300, budgetFraction: 0.9, concurrency: 6 });
    }
  });

  it('requires simUrl for the simulated org', async () => {
    const r = await loadConfig(known, respond(JSON.stringify({ region: 'sim', clientId: 'abc' })), '/config.json');
    expect(r).toMatchObject({ ok: false, problems: [{ kind: 'schema', path: 'simUrl' }] });
  });

  it('refuses a region outside the allowlist', async () => {
    const r = await loadConfig(known, respond(JSON.stringify({ region: 'evil.example', clientId: 'abc' })), '/config.json');
    expect(r).toEqual({ ok: false, file: '/config.json', problems: [{ kind: 'region', region: 'evil.example' }] });
  });

  it('reports a missing file, junk and schema errors instead of throwing', async () => {
    expect(await loadConfig(known, respond('', 404), '/c.json')).toMatchObject({ ok: false, problems: [{ kind: 'fetch', status: 404 }] });
    expect(await loadConfig(known, respond('{nope'), '/c.json')).toMatchObject({ ok: false, problems: [{ kind: 'json' }] });
    const r = await loadConfig(known, respond(JSON.stringify({ region: 'sim', simUrl: 'ftp://x', clientId: '', grant: 'password' })), '/c.json');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => (p.kind === 'schema' ? p.path : p.kind)).sort()).toEqual(['clientId', 'grant', 'simUrl']);
    const failing = (() => Promise.reject(new TypeError('offline'))) as typeof fetch;
    expect(await loadConfig(known, failing, '/c.json')).toMatchObject({ ok: false, problems: [{ kind: 'fetch', status: 0 }] });
  });
});

describe('extra regions', () => {
  it('checks every allowed region against the allowlist', async () => {
    const body = JSON.stringify({ region: 'mypurecloud.ie', extraRegions: ['mypurecloud.ie', 'bad.example'], clientId: 'x' });
    expect(await loadConfig(known, respond(body), '/c.json')).toEqual({
      ok: false,
      file: '/c.json',
      problems: [{ kind: 'region', region: 'bad.example' }],
    });
  });
});
