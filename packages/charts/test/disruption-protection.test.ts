import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DO_NOT_DISRUPT_ANNOTATION, JUPYTERHUB_CHART, KUBESPAWNER_TRAITS } from '@emr-eks-gitops/core';
import type { RenderResult } from '../src/index.js';
import { renderCommittedEnvironments } from './committed-environments.js';

// What Karpenter's expiry and drift drain must wait for, on every rendered variant: Spark drivers, EMR's job runners
// and notebook servers carry do-not-disrupt (Karpenter v1, "Disruption" > "Pod-Level Controls").
const rendered = renderCommittedEnvironments();
const filesMatching = (result: RenderResult, pattern: RegExp) =>
  [...result.files.entries()].filter(([path]) => pattern.test(path));
type Classification = { classification: string; properties: Record<string, string> };
/** The applicationConfiguration of a configuration-overrides, start-job-run or job-template document. */
function classifications(document: any): Classification[] {
  const overrides = document.configurationOverrides ?? document.jobTemplateData?.configurationOverrides ?? document;
  return overrides.applicationConfiguration ?? [];
}

describe('disruption protection of what a job or a session cannot lose', () => {
  it('every EMR request document of a tenant on Karpenter gives its job runner do-not-disrupt through emr-job-submitter', () => {
    let documents = 0;
    for (const { name, config, result } of rendered) {
      const fargate = new Set(config.tenants.filter((tenant) => tenant.fargate).map((tenant) => tenant.name));
      for (const [path, text] of filesMatching(
        result,
        /^artifacts\/tenants\/.+\/(configuration-overrides|start-job-run|job-template)\.json$/,
      )) {
        const tenant = path.split('/')[2]!;
        const submitter = classifications(JSON.parse(text)).find(
          (entry) => entry.classification === 'emr-job-submitter',
        );
        documents += 1;
        if (fargate.has(tenant)) {
          // Only its cost labels: the profile places the job runner, which Karpenter never disrupts.
          expect(
            Object.keys(submitter!.properties).filter((key) => !key.startsWith('jobsubmitter.label.')),
            `${name}/${path}`,
          ).toEqual([]);
          continue;
        }
        expect(submitter?.properties[`jobsubmitter.annotation.${DO_NOT_DISRUPT_ANNOTATION}`], `${name}/${path}`).toBe(
          'true',
        );
      }
    }
    expect(documents).toBeGreaterThanOrEqual(40);
  });

  it('every driver template on Karpenter carries do-not-disrupt; Fargate drivers and executors carry none', () => {
    for (const { name, config, result } of rendered) {
      const fargate = new Set(config.tenants.filter((tenant) => tenant.fargate).map((tenant) => tenant.name));
      for (const [path, text] of filesMatching(
        result,
        /^artifacts\/tenants\/.+\/pod-templates\/(driver|executor)\.yaml$/,
      )) {
        const annotations = (parse(text) as any).metadata?.annotations ?? {};
        const expected = path.endsWith('driver.yaml') && !fargate.has(path.split('/')[2]!) ? 'true' : undefined;
        expect(annotations[DO_NOT_DISRUPT_ANNOTATION], `${name}/${path}`).toBe(expected);
      }
    }
  });

  it('every notebook profile puts do-not-disrupt on its server, and sets only KubeSpawner traits', () => {
    let profiles = 0;
    for (const { name, result } of rendered) {
      const release = result.objects
        .map((o) => o.object as any)
        .find(
          (o) =>
            (o.kind === 'HelmRelease' && o.metadata.name === JUPYTERHUB_CHART.name) ||
            (o.kind === 'Application' && o.spec?.source?.chart === JUPYTERHUB_CHART.name),
        );
      if (!release) continue;
      const values = release.kind === 'HelmRelease' ? release.spec.values : release.spec.source.helm.valuesObject;
      for (const profile of values.singleuser.profileList) {
        profiles += 1;
        const override = profile.kubespawner_override;
        expect(override.extra_annotations, `${name} ${profile.slug}`).toEqual({ [DO_NOT_DISRUPT_ANNOTATION]: 'true' });
        expect(
          Object.keys(override).filter((key) => !KUBESPAWNER_TRAITS.includes(key)),
          `${name} ${profile.slug}`,
        ).toEqual([]);
      }
    }
    expect(profiles).toBeGreaterThanOrEqual(4);
  });
});
