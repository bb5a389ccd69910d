import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { JUPYTERHUB_CHART, JUPYTERHUB_OIDC_DEFAULTS } from '@emr-eks-gitops/core';
import { loadEnvironmentText, renderEnvironment, type RenderResult, type ResolvedEnvironment } from '../src/index.js';
import { renderSummaries } from '../src/render/render.js';
import { LOCAL_DISK_DEFAULTS } from '../src/config/resolve.js';
import { JUPYTERHUB_DEFAULT_STORAGE_CLASS } from '../src/addons/jupyterhub/resolve.js';
import { committedEnvironmentText as environmentText } from './committed-environments.js';

/**
 * Defaults applied once, in the resolved model, and decisions made once, by the chart that renders them: the README's
 * summaries and the charts read the same values.
 */

const ENVIRONMENTS = ['dev', 'prod', 'sandbox', 'staging'] as const;
const load = (name: string) => loadEnvironmentText(environmentText(name), `environments/${name}.yaml`).environment;
/** An environment file with `edit` applied to its data (comments are not kept), loaded as the CLI loads it. */
function loadEdited(name: string, edit: (file: Record<string, any>) => void): ResolvedEnvironment {
  const file = parse(environmentText(name)) as Record<string, any>;
  edit(file);
  return loadEnvironmentText(stringify(file), `environments/${name}.yaml`).environment;
}

/** The scratch disk a tenant's executor pod template mounts, in the README summary's terms. */
function mountedScratchDisk(result: RenderResult, tenant: string): { kind: string; size?: string } {
  const template = parse(result.files.get(`artifacts/tenants/${tenant}/pod-templates/executor.yaml`)!);
  const volume = template.spec.volumes.find((v: any) => v.name === 'spark-local-dir-1');
  if (volume.ephemeral)
    return { kind: 'ebs', size: volume.ephemeral.volumeClaimTemplate.spec.resources.requests.storage };
  const request = template.spec.containers[0].resources?.requests?.['ephemeral-storage'];
  return request ? { kind: 'fargate', size: request } : { kind: 'instance-store' };
}

describe("the README's scratch disk is the tenant chart's decision", () => {
  it('each tenant of the committed environments: what its executor pod template mounts (NVMe class, EBS, default-pool NVMe, Fargate)', () => {
    const kinds = new Set<string>();
    for (const name of ENVIRONMENTS) {
      const config = load(name);
      const result = renderEnvironment(config);
      for (const tenant of renderSummaries(config).tenants) {
        const mounted = mountedScratchDisk(result, tenant.name);
        expect(tenant.scratchDisk, `${name} ${tenant.name}`).toEqual(mounted);
        kinds.add(`${mounted.kind}${tenant.classes.executor === 'default' ? '' : ' on a named class'}`);
      }
    }
    // A class with local NVMe (prod's memory-nvme), one without (prod's graviton), the default pools' NVMe and Fargate.
    expect([...kinds].sort()).toEqual([
      'ebs',
      'ebs on a named class',
      'fargate',
      'instance-store',
      'instance-store on a named class',
    ]);
  });

  it('a retired tenant, which gets no pod templates, keeps the disk its jobs had', () => {
    // NVMe of a named class, NVMe of the default pools, Fargate's ephemeral storage, an EBS volume.
    const cases = { prod: 'ml', sandbox: 'shuffle-lab', staging: 'reporting', dev: 'data-eng' } as const;
    for (const [name, retiring] of Object.entries(cases)) {
      const active = renderSummaries(load(name)).tenants.find((tenant) => tenant.name === retiring)!;
      const retired = renderSummaries(
        loadEdited(name, (file) => {
          file.tenants.find((tenant: any) => tenant.name === retiring).retired = true;
        }),
      ).tenants.find((tenant) => tenant.name === retiring)!;
      expect([retired.retired, active.retired]).toEqual([true, false]);
      expect(retired.scratchDisk, `${name} ${retiring}`).toEqual(active.scratchDisk);
    }
  });
});

describe('scratch disk defaults, resolved once', () => {
  it('a tenant without spark.localDiskSize gets 100Gi EBS volumes on nodes, 20Gi of ephemeral storage on Fargate', () => {
    const staging = loadEdited('staging', (file) => {
      for (const tenant of file.tenants) {
        delete tenant.spark?.localDiskSize;
        tenant.quota.storage = '10Ti'; // room for the larger volumes
      }
    });
    const sizes = Object.fromEntries(staging.tenants.map((tenant) => [tenant.name, tenant.spark.localDiskSize]));
    expect(sizes).toEqual({ 'app-dev': '100Gi', 'data-eng': '100Gi', ml: '100Gi', reporting: '20Gi' });
    expect(LOCAL_DISK_DEFAULTS).toMatchObject({ ebsSize: '100Gi', fargateSize: '20Gi' });
    expect(staging.tenants.some((tenant) => tenant.spark.localDiskSizeWritten)).toBe(false);
    const written = parse(environmentText('staging')).tenants.map(
      (tenant: any) => tenant.spark?.localDiskSize !== undefined,
    );
    expect(load('staging').tenants.map((tenant) => tenant.spark.localDiskSizeWritten)).toEqual(written);
    expect(written).toContain(true);
    const result = renderEnvironment(staging);
    expect(mountedScratchDisk(result, 'data-eng')).toEqual({ kind: 'ebs', size: '100Gi' });
    expect(mountedScratchDisk(result, 'reporting')).toEqual({ kind: 'fargate', size: '20Gi' });
  });

  it("a capacity class without localDisk has EBS executors, as the README's class table says", () => {
    const prod = load('prod');
    expect(prod.capacity.classes.map((spec) => [spec.name, spec.localDisk])).toEqual([
      ['graviton', 'ebs'],
      ['memory-nvme', 'nvme'],
      ['gpu', 'ebs'],
    ]);
    expect(renderSummaries(prod).capacity.classes.map((spec) => spec.scratchDisk)).toEqual(['ebs', 'nvme', 'ebs']);
  });
});

describe('JupyterHub defaults, resolved by the add-on', () => {
  const hubValues = (config: ResolvedEnvironment): Record<string, any> => {
    const release = renderEnvironment(config)
      .objects.map(({ object }) => object as any)
      .find((object) => object.kind === 'HelmRelease' && object.metadata.name === JUPYTERHUB_CHART.name);
    return release.spec.values;
  };

  it('its StorageClass is jupyterhub-gp3 unless named, and the chart renders the resolved name', () => {
    const dev = load('dev');
    expect(dev.addons?.jupyterhub?.storageClass).toEqual({ name: JUPYTERHUB_DEFAULT_STORAGE_CLASS });
    expect(JUPYTERHUB_DEFAULT_STORAGE_CLASS).toBe('jupyterhub-gp3');
    const named = loadEdited('dev', (file) => {
      file.addons.jupyterhub.storageClass = { name: 'notebooks-gp3' };
    });
    expect(named.addons?.jupyterhub?.storageClass.name).toBe('notebooks-gp3');
    expect(hubValues(named).hub.db.pvc.storageClassName).toBe('notebooks-gp3');
  });

  it("an OIDC login's scopes and claims are the standard ones unless written, as GenericOAuthenticator is configured", () => {
    const prod = loadEdited('prod', (file) => {
      delete file.addons.jupyterhub.auth.groupsClaim;
    });
    const auth = prod.addons?.jupyterhub?.auth;
    expect(auth?.type === 'oidc' && [auth.scopes, auth.usernameClaim, auth.groupsClaim]).toEqual([
      JUPYTERHUB_OIDC_DEFAULTS.scopes,
      'preferred_username',
      'groups',
    ]);
    const oauth = hubValues(prod).hub.config.GenericOAuthenticator;
    expect(oauth).toMatchObject({
      scope: ['openid', 'profile', 'email'],
      username_claim: 'preferred_username',
      auth_state_groups_key: 'oauth_user.groups',
    });
    const written = loadEdited('prod', (file) => {
      file.addons.jupyterhub.auth.usernameClaim = 'email';
    }).addons?.jupyterhub?.auth;
    expect(written?.type === 'oidc' && written.usernameClaim).toBe('email');
    // The other logins carry no OIDC settings.
    expect(load('dev').addons?.jupyterhub?.auth).toEqual({ type: 'dummy' });
  });
});
