// A program of another repository: its own cdk8s App and chart from the builders, and an environment of its own
// rendered and validated through @emr-eks-gitops/charts. consumer-project.test.ts type-checks and runs it.
import { App, Chart } from 'cdk8s';
import { EmrContainersRbac, TenantNamespace, validateObjects } from '@emr-eks-gitops/core';
import { loadEnvironmentText, renderEnvironment, type EnvironmentConfig } from '@emr-eks-gitops/charts';

const app = new App();
const chart = new Chart(app, 'analytics');
new TenantNamespace(chart, 'namespace', {
  namespace: 'spark-analytics',
  tenant: 'analytics',
  quota: { cpu: 64, memory: '256Gi', pods: 200, storage: '1Ti' },
  containerDefaults: {
    default: { memory: '4Gi' },
    defaultRequest: { cpu: '250m', memory: '1Gi' },
    max: { cpu: '16', memory: '64Gi' },
  },
});
new EmrContainersRbac(chart, 'emr', { namespace: 'spark-analytics', kubernetesVersion: '1.31' });
const objects = chart.toJson() as { kind: string; metadata: { name: string } }[];
console.log(
  `chart: ${objects
    .map((object) => `${object.kind}/${object.metadata.name}`)
    .sort()
    .join(' ')}`,
);

const environmentYaml = `
cluster:
  name: consumer-cluster
  region: eu-west-1
  accountId: "123456789012"
  kubernetesVersion: "1.31"
  oidcIssuer: https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF
  emrAccess: access-entry
capacity:
  amiAlias: al2023@v20250115
  nodeRole: KarpenterNodeRole-consumer
  limits:
    driver: { cpu: 16, memory: 64Gi }
    executorSpot: { cpu: 64, memory: 256Gi }
    executorOnDemand: { cpu: 16, memory: 64Gi }
  controller:
    roleArn: arn:aws:iam::123456789012:role/KarpenterController-consumer
    interruptionQueue: consumer-karpenter
spark:
  artifactsS3Uri: s3://consumer-artifacts/emr-eks-gitops
  logs: { s3Uri: s3://consumer-logs }
tenants:
  - name: analytics
    namespace: spark-analytics
    quota: { cpu: 16, memory: 64Gi, pods: 60, storage: 800Gi }
    containerDefaults:
      default: { memory: 2Gi }
      defaultRequest: { cpu: 250m, memory: 512Mi }
    executionRoleArn: arn:aws:iam::123456789012:role/analytics-job-execution
    releaseLabel: emr-7.5.0-latest
    spark:
      jobSize: { driver: { cores: 1, memory: 2g }, executor: { cores: 2, memory: 4g } }
`;
const { config } = loadEnvironmentText(environmentYaml, 'environments/consumer.yaml');
const typed: EnvironmentConfig = config;
const result = renderEnvironment(typed);
const findings = validateObjects(result.objects, {
  environment: result.environment,
  production: false,
  kubernetesVersion: config.cluster.kubernetesVersion,
});
console.log(
  `environment: ${result.environment} ${result.files.size} files, ${findings.filter((f) => f.severity === 'error').length} errors`,
);
console.log(`quota: ${result.files.has('tenants/analytics/resourcequota-tenant-quota.yaml')}`);
