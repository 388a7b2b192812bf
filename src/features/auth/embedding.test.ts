import { readEmbedding } from './embedding.ts';

describe('embedding parameters', () => {
  beforeEach(() => sessionStorage.clear());

  it('is not embedded without Genesys parameters', () => {
    expect(readEmbedding('?range=today', sessionStorage, false)).toEqual({ embedded: false });
  });

  it('takes the region from gcHostOrigin and remembers it across the PKCE return', () => {
    expect(readEmbedding('?gcHostOrigin=https%3A%2F%2Fapps.mypurecloud.ie&gcTargetEnv=prod-euw1&gcLangTag=de-DE', sessionStorage, true)).toEqual({
      embedded: true,
      ok: true,
      host: 'mypurecloud.ie',
      inFrame: true,
    });
    // The SDK wiped the query string; the remembered parameters still name the region.
    expect(readEmbedding('', sessionStorage, true)).toMatchObject({ ok: true, host: 'mypurecloud.ie' });
  });

  it('refuses a foreign host, and does not fall back to a remembered one', () => {
    readEmbedding('?pcEnvironment=mypurecloud.de', sessionStorage, true);
    const r = readEmbedding('?gcHostOrigin=https%3A%2F%2Fapps.evil.example', sessionStorage, true);
    expect(r).toMatchObject({ embedded: true, ok: false, value: 'https://apps.evil.example' });
  });
});
