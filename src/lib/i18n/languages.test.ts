import { pickLanguage, toSupported } from './languages.ts';

const none = { search: '', stored: null, embedStored: null, browser: [] as string[] };

describe('language choice', () => {
  it('maps tags to supported languages', () => {
    expect(toSupported('de-DE')).toBe('de');
    expect(toSupported('EN_us')).toBe('en');
    expect(toSupported('fr-FR')).toBeUndefined();
    expect(toSupported('')).toBeUndefined();
  });

  it('prefers the language Genesys Cloud hands an embedded app', () => {
    expect(pickLanguage({ ...none, search: '?gcLangTag=de-DE', stored: 'en', browser: ['en-US'] })).toEqual({
      language: 'de',
      embedTag: 'de-DE',
    });
    expect(pickLanguage({ ...none, search: '?pcLangTag=de', browser: ['en'] }).language).toBe('de');
    expect(pickLanguage({ ...none, embedStored: 'de-AT', browser: ['en'] }).language).toBe('de');
  });

  it('then the remembered choice, then the browser, then English', () => {
    expect(pickLanguage({ ...none, stored: 'de', browser: ['en-US'] }).language).toBe('de');
    expect(pickLanguage({ ...none, stored: 'xx', browser: ['fr-FR', 'de-CH'] }).language).toBe('de');
    expect(pickLanguage({ ...none, browser: ['ja-JP'] }).language).toBe('en');
    expect(pickLanguage({ ...none, search: '?gcLangTag=ja-JP', browser: ['de'] }).language).toBe('de');
  });
});
