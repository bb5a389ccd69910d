import { awsRequestProblems, configDiagnostic, type AwsRequestShape } from '@emr-eks-gitops/core';
import type { ResolvedEnvironment, ResolvedTenant } from '../config/resolve.js';
import type { ConfigPath } from '../config/source-map.js';
import type { ManifestChart } from '../charts/manifest-chart.js';
import type { RenderIssue } from '../config/render-error.js';

// The AWS request documents among the rendered artifacts, checked against the API's shapes at render time: the
// API would otherwise refuse them only when a user submits them (aws emr-containers start-job-run, emr apply,
// aws eks create-fargate-profile).

/** The API shape of an artifact (path below the chart's artifacts folder), or undefined for other documents. */
function shapeOf(chart: ManifestChart, path: string): AwsRequestShape | undefined {
  if (chart.folder.startsWith('tenants/')) {
    if (/^(?:.+\/)?start-job-run\.json$/.test(path)) return 'StartJobRunRequest';
    if (path === 'job-template.json') return 'CreateJobTemplateRequest';
  }
  if (chart.folder === 'platform/cluster-access') {
    if (path === 'eksctl-iam-identity-mappings.yaml') return 'EksctlIamIdentityMappingsClusterConfig';
    if (path === 'node-access-entry.json') return 'CreateAccessEntryRequest';
    if (path === 'node-access-policy.json') return 'AssociateAccessPolicyRequest';
  }
  if (chart.folder === 'platform/pod-identity') {
    if (/^associations\/[^/]+\/[^/]+\.json$/.test(path)) return 'CreatePodIdentityAssociationRequest';
    if (path.endsWith('-addon.json')) return 'CreateAddonRequest';
  }
  if (chart.folder === 'platform/fargate') {
    if (/^profiles\/[^/]+\.json$/.test(path)) return 'CreateFargateProfileRequest';
    if (path === 'eksctl-cluster-config.yaml') return 'EksctlFargateClusterConfig';
  }
  return undefined;
}

/**
 * The environment-file field a place in a tenant's EMR document comes from, where it can be told: a spark-defaults
 * property the tenant set, its execution role or release label; otherwise the tenant itself.
 */
function tenantFieldOf(
  tenantPath: ConfigPath,
  tenant: ResolvedTenant | undefined,
  document: unknown,
  path: readonly (string | number)[],
): ConfigPath {
  if (!tenant) return tenantPath;
  const inData = path[0] === 'jobTemplateData' ? path.slice(1) : path;
  const data = (
    path[0] === 'jobTemplateData' ? (document as { jobTemplateData: unknown }).jobTemplateData : document
  ) as {
    releaseLabel?: string;
    configurationOverrides?: { applicationConfiguration?: { classification?: string }[] };
  };
  if (
    inData[0] === 'configurationOverrides' &&
    inData[1] === 'applicationConfiguration' &&
    inData[3] === 'properties' &&
    typeof inData[4] === 'string'
  ) {
    const entry = data.configurationOverrides?.applicationConfiguration?.[inData[2] as number];
    if (
      entry?.classification === 'spark-defaults' &&
      tenant.spark.extraProperties &&
      Object.hasOwn(tenant.spark.extraProperties, inData[4])
    ) {
      return [...tenantPath, 'spark', 'extraProperties', inData[4]];
    }
  }
  if (inData.length === 1 && inData[0] === 'executionRoleArn') return [...tenantPath, 'executionRoleArn'];
  // A capacity class may set its own release label (e.g. spark-rapids): only the tenant's own value is located there.
  if (inData.length === 1 && inData[0] === 'releaseLabel' && data.releaseLabel === tenant.releaseLabel)
    return [...tenantPath, 'releaseLabel'];
  return tenantPath;
}

/**
 * Every rendered AWS request document that does not fit its API shape, one issue per broken constraint, located at
 * the field it comes from (or the chart's tenant / section) and naming the document, its JSON path and the constraint.
 */
export function awsDocumentIssues(config: ResolvedEnvironment, charts: readonly ManifestChart[]): RenderIssue[] {
  return charts.flatMap((chart) =>
    chart.artifacts.flatMap((artifact) => {
      const shape = shapeOf(chart, artifact.path);
      if (!shape) return [];
      const tenant = chart.configPath[0] === 'tenants' ? config.tenants[chart.configPath[1] as number] : undefined;
      const file = `artifacts/${chart.artifactKey(artifact.path)}`;
      return awsRequestProblems(shape, artifact.value).map((problem) => {
        const where = tenantFieldOf(chart.configPath, tenant, artifact.value, problem.path);
        const broken = `${file} at ${problem.jsonPath} breaks`;
        return shape === 'CreateFargateProfileRequest' || shape === 'EksctlFargateClusterConfig'
          ? configDiagnostic(
              'fargate-request-shape',
              where,
              `${broken} the EKS API's ${shape} (${problem.constraint}): aws eks create-fargate-profile / eksctl would refuse it; change the value it comes from`,
            )
          : chart.folder === 'platform/pod-identity'
            ? configDiagnostic(
                'pod-identity-request-shape',
                where,
                `${broken} the EKS API's ${shape} (${problem.constraint}): emr apply / aws eks would refuse it; change the value it comes from`,
              )
            : chart.folder === 'platform/cluster-access'
              ? configDiagnostic(
                  'cluster-access-request-shape',
                  where,
                  `${broken} ${shape} (${problem.constraint}): ${shape.startsWith('Eksctl') ? 'eksctl create iamidentitymapping' : 'aws eks'} would refuse it, or EKS would not map the role; change the value it comes from`,
                )
              : configDiagnostic(
                  'emr-request-shape',
                  where,
                  `${broken} the EMR containers API's ${shape} (${problem.constraint}): ${shape === 'StartJobRunRequest' ? 'aws emr-containers start-job-run' : 'emr apply (CreateJobTemplate)'} would refuse it; change the value it comes from`,
                );
      });
    }),
  );
}
