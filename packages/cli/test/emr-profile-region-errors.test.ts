import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { explainAwsError, profilesIn, sharedConfigFiles } from '../src/emr/errors.js';
import { useFakeEmr } from './support/harness.js';

// A profile that is in neither shared file, or an empty region, is named in the error: exit 2, nothing called.

const { fixture, emr } = useFakeEmr();

function writeSharedFiles(): { config: string; credentials: string } {
  const config = join(fixture.root, 'aws-config');
  const credentials = join(fixture.root, 'aws-credentials');
  writeFileSync(
    config,
    '[default]\nregion = eu-west-1\n\n[profile platform-dev]\nsso_session = corp\n\n[sso-session corp]\nsso_region = eu-west-1\n',
  );
  writeFileSync(credentials, '[ci]\naws_access_key_id = AKIDCI\naws_secret_access_key = secret\n');
  vi.stubEnv('AWS_CONFIG_FILE', config);
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', credentials);
  return { config, credentials };
}

describe('a named AWS profile that does not exist', () => {
  it('--profile: names the profile, the files looked in and the profiles they hold', async () => {
    const files = writeSharedFiles();
    const result = await emr(['plan', '--profile', 'platform-prod']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `-> AWS profile "platform-prod" (--profile) is not in ${files.config} or ${files.credentials} ` +
        '(profiles there: ci, default, platform-dev); add it (aws configure --profile platform-prod, or aws configure sso) or name one that exists\n',
    );
    expect(fixture.fake.requests).toHaveLength(0);
  });

  it('AWS_PROFILE: says it came from the environment variable and how to fall back to the standard chain', async () => {
    const files = writeSharedFiles();
    vi.stubEnv('AWS_ACCESS_KEY_ID', undefined);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', undefined);
    vi.stubEnv('AWS_PROFILE', 'platform-prod');
    const result = await emr(['list']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `-> AWS profile "platform-prod" (AWS_PROFILE) is not in ${files.config} or ${files.credentials}`,
    );
    expect(result.stderr).toContain('or unset AWS_PROFILE to use the standard credential chain');
    expect(fixture.fake.requests).toHaveLength(0);
  });

  it('no shared files at all: says so', async () => {
    const result = await emr(['plan', '--profile', 'platform-prod']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `-> AWS profile "platform-prod" (--profile) is not in ${join(fixture.root, 'no-aws-config')} or ` +
        `${join(fixture.root, 'no-aws-credentials')} (no profiles there)`,
    );
  });
});

describe('an empty region', () => {
  it.each(['plan', 'apply', 'list'])('emr %s --region "": said so, no stack trace, exit 2', async (command) => {
    const result = await emr([command, '--region', '']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'error: no AWS region: --region was empty; pass one such as eu-west-1, or leave --region out to use ' +
        'cluster.region of the environment\n',
    );
    expect(fixture.fake.requests).toHaveLength(0);
  });

  it('the SDK\'s own "Region is missing" (a client made elsewhere) is explained the same way', () => {
    const explained = explainAwsError(new Error('Region is missing'), {
      operation: 'ListVirtualClusters',
      eksCluster: 'c',
      region: '',
      sourcePath: 'environments/dev.yaml',
    });
    expect(explained).toEqual({
      exitCode: 2,
      message:
        'EKS cluster c: ListVirtualClusters failed: Error: Region is missing\n' +
        '  -> no AWS region: --region was empty; pass one such as eu-west-1, or leave --region out to use cluster.region of the environment (environments/dev.yaml)',
    });
  });
});

describe('shared config files', () => {
  it('profile names as the SDK reads them: [default] and [profile x] in config, [x] in credentials', () => {
    expect(profilesIn('[default]\n[profile a]\n[ profile  b ]\n[sso-session s]\n[services t]\n', 'config')).toEqual([
      'default',
      'a',
      'b',
    ]);
    expect(profilesIn('[default]\r\n[c]\n# [d]\n', 'credentials')).toEqual(['default', 'c']);
  });

  it('AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE win over ~/.aws', () => {
    expect(sharedConfigFiles({ HOME: '/home/u' })).toEqual({
      config: '/home/u/.aws/config',
      credentials: '/home/u/.aws/credentials',
    });
    expect(sharedConfigFiles({ HOME: '/home/u', AWS_CONFIG_FILE: '/c', AWS_SHARED_CREDENTIALS_FILE: '/k' })).toEqual({
      config: '/c',
      credentials: '/k',
    });
  });
});
