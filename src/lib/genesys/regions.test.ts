import PureCloudRegionHosts from 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/PureCloudRegionHosts.js';
import { REGIONS, isAllowedRegionHost, regionByHost, regionFromEmbedding } from './regions.ts';

const q = (s: string) => new URLSearchParams(s);

describe('REGIONS', () => {
  it('is exactly the SDK PureCloudRegionHosts (18 hosts, same keys)', () => {
    expect(Object.fromEntries(REGIONS.map((r) => [r.key, r.host]))).toEqual(PureCloudRegionHosts);
    expect(REGIONS).toHaveLength(18);
    expect(REGIONS.every((r) => r.name.length > 0)).toBe(true);
  });

  it('has unique targetEnv values', () => {
    const envs = REGIONS.flatMap((r) => (r.targetEnv ? [r.targetEnv] : []));
    expect(new Set(envs).size).toBe(envs.length);
  });
});

describe('isAllowedRegionHost', () => {
  it.each(Object.values(PureCloudRegionHosts))('accepts %s', (host) => {
    expect(isAllowedRegionHost(host)).toBe(true);
  });
  it.each(['evil.com', 'api.mypurecloud.com', 'https://mypurecloud.com', 'mypurecloud.com.evil.com', 'mypurecloud.com/', 'pure.cloud', ''])(
    'refuses %s',
    (host) => {
      expect(isAllowedRegionHost(host)).toBe(false);
    },
  );
  it('ignores case and surrounding spaces', () => {
    expect(isAllowedRegionHost(' MyPureCloud.IE ')).toBe(true);
    expect(regionByHost('mypurecloud.ie')?.name).toMatch(/Dublin/);
  });
});

describe('regionFromEmbedding', () => {
  it('resolves gcHostOrigin', () => {
    expect(regionFromEmbedding(q('gcHostOrigin=https%3A%2F%2Fapps.mypurecloud.ie&gcLangTag=en-us'))).toEqual({
      ok: true,
      host: 'mypurecloud.ie',
      source: 'gcHostOrigin',
    });
    expect(regionFromEmbedding(q('gcHostOrigin=https://apps.usw2.pure.cloud/'))).toMatchObject({ ok: true, host: 'usw2.pure.cloud' });
  });

  it.each([
    'http://apps.mypurecloud.ie',
    'https://apps.mypurecloud.ie:8443',
    'https://apps.mypurecloud.ie/x',
    'https://apps.mypurecloud.ie?x=1',
    'https://login.mypurecloud.ie',
    'https://mypurecloud.ie',
    'https://apps.evil.com',
    'https://apps.mypurecloud.ie.evil.com',
    'https://user@apps.mypurecloud.ie',
    'not a url',
    '',
  ])('refuses gcHostOrigin %s', (origin) => {
    const r = regionFromEmbedding(new URLSearchParams({ gcHostOrigin: origin }));
    expect(r).toMatchObject({ ok: false, code: 'not-allowed' });
  });

  it('resolves gcTargetEnv', () => {
    expect(regionFromEmbedding(q('gcTargetEnv=prod-euw1'))).toEqual({ ok: true, host: 'mypurecloud.ie', source: 'gcTargetEnv' });
    expect(regionFromEmbedding(q('gcTargetEnv=prod'))).toMatchObject({ ok: true, host: 'mypurecloud.com' });
    expect(regionFromEmbedding(q('gcTargetEnv=prod-apse2'))).toMatchObject({ ok: true, host: 'mypurecloud.com.au' });
    expect(regionFromEmbedding(q('gcTargetEnv=dev-evil'))).toMatchObject({ ok: false, code: 'not-allowed' });
  });

  it('resolves legacy pcEnvironment', () => {
    expect(regionFromEmbedding(q('pcEnvironment=mypurecloud.de'))).toEqual({ ok: true, host: 'mypurecloud.de', source: 'pcEnvironment' });
    expect(regionFromEmbedding(q('pcEnvironment=evil.com'))).toMatchObject({ ok: false, code: 'not-allowed' });
    expect(regionFromEmbedding(q('pcEnvironment=https://mypurecloud.de'))).toMatchObject({ ok: false });
  });

  it('prefers gcHostOrigin and tolerates an unknown gcTargetEnv beside it', () => {
    expect(regionFromEmbedding(q('gcHostOrigin=https://apps.mypurecloud.ie&gcTargetEnv=prod-euw1'))).toMatchObject({
      ok: true,
      source: 'gcHostOrigin',
    });
    expect(regionFromEmbedding(q('gcHostOrigin=https://apps.use2.us-gov-pure.cloud&gcTargetEnv=fedramp-x'))).toMatchObject({
      ok: true,
      host: 'use2.us-gov-pure.cloud',
    });
  });

  it('refuses parameters that disagree', () => {
    expect(regionFromEmbedding(q('gcHostOrigin=https://apps.mypurecloud.ie&gcTargetEnv=prod-euc1'))).toMatchObject({
      ok: false,
      code: 'conflict',
    });
    expect(regionFromEmbedding(q('gcTargetEnv=prod&pcEnvironment=mypurecloud.jp'))).toMatchObject({ ok: false, code: 'conflict' });
  });

  it('refuses a bad legacy value even when a good one is present', () => {
    expect(regionFromEmbedding(q('gcHostOrigin=https://apps.mypurecloud.ie&pcEnvironment=evil.com'))).toMatchObject({ ok: false });
  });

  it('says absent when nothing is given', () => {
    expect(regionFromEmbedding(q('gcLangTag=en-us'))).toMatchObject({ ok: false, code: 'absent' });
  });
});
