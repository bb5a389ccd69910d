import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { JUPYTERHUB_CHART, tenantCostLabels } from '@emr-eks-gitops/core';
import { renderCommittedEnvironments } from './committed-environments.js';

// Every committed environment: each tenant's cost labels on its namespace and on every pod it pays for, and as tags of
// its EMR documents; the cost query names every tenant.
const rendered = renderCommittedEnvironments();

describe.each(rendered)('cost allocation of $name', ({ config, result }) => {
  const file = (path: string) => {
    const text = result.files.get(path);
    if (text === undefined) throw new Error(`${path} is not rendered`);
    return text;
  };

  it('every tenant namespace carries its cost labels', () => {
    for (const tenant of config.tenants) {
      const labels = tenantCostLabels(config.costAllocation, tenant);
      expect(Object.keys(labels).length, tenant.name).toBeGreaterThan(1); // the committed files all set some
      const namespace = parse(file(`tenants/${tenant.name}/namespace-${tenant.namespace}.yaml`));
      expect(namespace.metadata.labels, tenant.name).toMatchObject(labels);
    }
  });

  it('every pod template, job runner and EMR document of every variant carries them', () => {
    let templates = 0;
    let documents = 0;
    for (const tenant of config.tenants.filter((t) => !t.retired)) {
      const labels = tenantCostLabels(config.costAllocation, tenant);
      const tags = { ...labels, 'emr-eks-gitops.io/environment': config.name };
      const prefix = `artifacts/tenants/${tenant.name}/`;
      for (const [path, text] of result.files) {
        if (!path.startsWith(prefix)) continue;
        if (/pod-templates\/[a-z-]+\.yaml$/.test(path)) {
          templates += 1;
          expect(parse(text).metadata.labels, path).toMatchObject(labels);
        }
        if (!/(configuration-overrides|start-job-run|job-template)\.json$/.test(path)) continue;
        documents += 1;
        const document = JSON.parse(text);
        const overrides =
          document.configurationOverrides ?? document.jobTemplateData?.configurationOverrides ?? document;
        const submitter = overrides.applicationConfiguration.find(
          (entry: { classification: string }) => entry.classification === 'emr-job-submitter',
        );
        expect(submitter.properties, path).toMatchObject(
          Object.fromEntries(Object.entries(labels).map(([key, value]) => [`jobsubmitter.label.${key}`, value])),
        );
        if (path.endsWith('start-job-run.json')) expect(document.tags, path).toEqual(tags);
        if (path.endsWith('job-template.json')) {
          expect(document.jobTemplateData.jobTags, path).toEqual(tags);
          expect(document.tags, path).toMatchObject(tags);
        }
      }
    }
    expect(templates).toBeGreaterThanOrEqual(config.tenants.filter((t) => !t.retired).length * 2);
    expect(documents).toBeGreaterThanOrEqual(config.tenants.filter((t) => !t.retired).length * 3);
  });

  it("every notebook profile labels its server with its tenant's cost labels", () => {
    const release = result.objects
      .map((o) => o.object as any)
      .find(
        (o) =>
          (o.kind === 'HelmRelease' && o.metadata.name === JUPYTERHUB_CHART.name) ||
          (o.kind === 'Application' && o.spec.source?.chart === JUPYTERHUB_CHART.name),
      );
    if (!config.addons?.jupyterhub) return;
    const values = release.spec.values ?? release.spec.source.helm.valuesObject;
    const profiles = values.singleuser.profileList as {
      slug: string;
      kubespawner_override: { extra_labels: Record<string, string> };
    }[];
    expect(profiles.length).toBeGreaterThan(0);
    for (const profile of profiles) {
      const tenant = config.tenants.find((t) => t.name === profile.slug)!;
      expect(profile.kubespawner_override.extra_labels, profile.slug).toMatchObject(
        tenantCostLabels(config.costAllocation, tenant),
      );
    }
  });

  it("the cost query lists every tenant with its namespace and the environment's EKS cluster", () => {
    const sql = file('artifacts/cost/tenant-cost-per-day.sql');
    for (const tenant of config.tenants) expect(sql).toContain(`('${tenant.name}', '${tenant.namespace}')`);
    expect(sql).toContain(`resource_tags['aws_eks_cluster_name'] = '${config.cluster.name}'`);
    expect(file('artifacts/cost/virtual-clusters-table.sql')).toContain('CREATE EXTERNAL TABLE');
    expect(file('README.md')).toContain('## Cost per tenant');
  });
});
