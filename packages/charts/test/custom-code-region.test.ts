import { describe, expect, it } from 'vitest';
import { loadEnvironmentText, renderEnvironment } from '../src/index.js';
import { committedEnvironmentText } from './committed-environments.js';

/**
 * The custom-code init container runs `aws s3 sync` as the pod's IRSA role. The AWS CLI needs a region, and EKS's pod
 * identity webhook adds AWS_REGION / AWS_DEFAULT_REGION only when started with one (aws/amazon-eks-pod-identity-webhook
 * pkg/handler/handler.go, addEnvToContainer), so every rendered template names the cluster's region itself.
 */
type Obj = Record<string, any>;
const ENVIRONMENTS = ['dev', 'staging', 'prod', 'sandbox'] as const;
const load = (name: string) => loadEnvironmentText(committedEnvironmentText(name), `environments/${name}.yaml`).config;

describe('custom code fetched from S3', () => {
  it("every rendered pod template's fetch container names the cluster's region", () => {
    let checked = 0;
    for (const name of ENVIRONMENTS) {
      const config = load(name);
      const result = renderEnvironment(config);
      for (const { path, object } of result.objects.filter((o) => o.path.includes('/pod-templates/'))) {
        for (const container of ((object as Obj).spec?.initContainers ?? []).filter(
          (c: Obj) => c.name === 'fetch-custom-code',
        )) {
          const env = Object.fromEntries(container.env.map((e: Obj) => [e.name, e.value]));
          expect(env, `${name} ${path}`).toMatchObject({
            AWS_REGION: config.cluster.region,
            AWS_DEFAULT_REGION: config.cluster.region,
          });
          checked++;
        }
      }
    }
    // dev's and prod's app-dev fetch their code with the AWS CLI: driver, executor and session-executor templates.
    expect(checked).toBeGreaterThanOrEqual(6);
  });
});
