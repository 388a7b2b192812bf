import { checkEmbeddingAllowed, readEmbedding } from './embedding.ts';

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

  it('one hostile link does not make the tab unusable: a refused address is used for that visit only', () => {
    expect(readEmbedding('?gcHostOrigin=https%3A%2F%2Fapps.evil.example', sessionStorage, false)).toMatchObject({ ok: false });
    expect(readEmbedding('', sessionStorage, false)).toEqual({ embedded: false });
    expect(readEmbedding('?range=today', sessionStorage, false)).toEqual({ embedded: false });
  });

  it('a remembered address that is refused is forgotten', () => {
    sessionStorage.setItem('wud.embed.params', 'gcHostOrigin=https%3A%2F%2Fapps.evil.example');
    expect(readEmbedding('', sessionStorage, false)).toMatchObject({ ok: false, value: 'https://apps.evil.example' });
    expect(readEmbedding('', sessionStorage, false)).toEqual({ embedded: false });
  });

  it('a known region the configuration does not allow is refused and forgotten', () => {
    const e = readEmbedding('?pcEnvironment=mypurecloud.de', sessionStorage, false);
    expect(checkEmbeddingAllowed(e, ['mypurecloud.ie'], sessionStorage)).toMatchObject({ embedded: true, ok: false, value: 'mypurecloud.de' });
    expect(readEmbedding('', sessionStorage, false)).toEqual({ embedded: false });
    // An allowed one stays as it was.
    const ok = readEmbedding('?pcEnvironment=mypurecloud.ie', sessionStorage, false);
    expect(checkEmbeddingAllowed(ok, ['mypurecloud.ie'], sessionStorage)).toBe(ok);
    expect(readEmbedding('', sessionStorage, false)).toMatchObject({ ok: true, host: 'mypurecloud.ie' });
  });
});
