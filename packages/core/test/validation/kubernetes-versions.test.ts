import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { App, Chart } from 'cdk8s';
import {
  ConfigurationError,
  ExclusiveCapacityClassPolicy,
  SUPPORTED_KUBERNETES_VERSIONS,
  validateObjects,
} from '../../src/index.js';
import { applied, ofRule, podTemplate, run, template } from './fixtures.js';

type Json = Record<string, any>;

/** The unknown-field findings of `objects` validated against the schemas of `version`, as `object fieldPath`. */
const unknownFields = (objects: Parameters<typeof run>[0], version: string) =>
  ofRule(run(objects, false, undefined, version), 'unknown-field').map(
    (f) => `${f.location.object} ${f.location.fieldPath}`,
  );

describe("the Kubernetes schemas follow the environment's minor", () => {
  it('ships one folder of OpenAPI documents per supported version, and nothing else', () => {
    const folders = readdirSync(new URL('../../schemas/kubernetes/', import.meta.url), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(SUPPORTED_KUBERNETES_VERSIONS).toEqual(['1.29', '1.30', '1.31', '1.32', '1.33']);
    expect(folders).toEqual(SUPPORTED_KUBERNETES_VERSIONS.map((version) => `v${version}`));
  });

  // Fields and the first minor whose official OpenAPI has them (found by diffing the bundled documents).
  const newer: { field: string; since: string; pod: Json }[] = [
    {
      field: 'spec.containers[0].volumeMounts[0].recursiveReadOnly',
      since: '1.30',
      pod: {
        volumes: [{ name: 'conf', emptyDir: {} }],
        containers: [
          {
            name: 'spark-kubernetes-driver',
            volumeMounts: [{ name: 'conf', mountPath: '/conf', readOnly: true, recursiveReadOnly: 'IfPossible' }],
          },
        ],
      },
    },
    {
      field: 'spec.securityContext.supplementalGroupsPolicy',
      since: '1.31',
      pod: { securityContext: { supplementalGroupsPolicy: 'Strict' } },
    },
    { field: 'spec.resources', since: '1.32', pod: { resources: { requests: { cpu: '1' } } } }, // pod-level resources
    {
      field: 'spec.containers[0].lifecycle.stopSignal',
      since: '1.33',
      pod: {
        os: { name: 'linux' },
        containers: [{ name: 'spark-kubernetes-driver', lifecycle: { stopSignal: 'SIGTERM' } }],
      },
    },
  ];

  for (const { field, since, pod } of newer) {
    it(`${field} is unknown before ${since} and known from ${since} on`, () => {
      const driver = template('pod-templates/ml/driver.yaml', podTemplate('driver', pod));
      for (const version of SUPPORTED_KUBERNETES_VERSIONS) {
        const expected = Number(version.split('.')[1]) < Number(since.split('.')[1]) ? [`Pod/(unnamed) ${field}`] : [];
        expect({ version, findings: unknownFields([driver], version) }).toEqual({ version, findings: expected });
      }
    });
  }

  it('1.29 and 1.33 read different documents: pod-level resources pass on 1.33 and are an error on 1.29', () => {
    // An applied Pod: in a Spark pod template EMR refuses spec.resources whatever the version (pod-template-field).
    const driver = applied('addons/driver.yaml', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'busybox:1.36' }], resources: { requests: { cpu: '1' } } },
    });
    expect(run([driver], false, undefined, '1.33')).toEqual([]);
    const [finding, ...rest] = run([driver], false, undefined, '1.29');
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      rule: 'unknown-field',
      severity: 'error',
      location: { fieldPath: 'spec.resources' },
      message: 'unknown field "resources": the cluster would silently drop it',
    });
  });

  it('refuses a version it has no schemas for, naming the supported ones', () => {
    const namespace = applied('ns.yaml', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } });
    const validate = (kubernetesVersion: string) => () =>
      validateObjects([namespace], { environment: 'dev', production: false, kubernetesVersion });
    expect(validate('1.27')).toThrow(ConfigurationError);
    expect(validate('1.27')).toThrow(
      'dev: kubernetesVersion: "1.27" has no bundled Kubernetes schemas; supported: 1.29, 1.30, 1.31, 1.32, 1.33',
    );
    expect(validate('1.34')).toThrow(/"1.34" has no bundled Kubernetes schemas/);
    expect(validate('v1.31')).toThrow(/"v1.31" has no bundled Kubernetes schemas/);
  });
});

describe('workloads get the unknown-field walk from the apps and batch documents', () => {
  const podSpec = (container: Json = {}) => ({
    containers: [{ name: 'app', image: 'public.ecr.aws/docker/library/busybox:1.36', ...container }],
  });
  const workloads = (container: Json = {}): Json[] => [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'a' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: podSpec(container) },
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'a' },
      spec: {
        serviceName: 'db',
        selector: { matchLabels: { app: 'db' } },
        template: { metadata: { labels: { app: 'db' } }, spec: podSpec(container) },
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'a' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: { metadata: { labels: { app: 'agent' } }, spec: podSpec(container) },
      },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'once', namespace: 'a' },
      spec: { template: { spec: { ...podSpec(container), restartPolicy: 'Never' } } },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly', namespace: 'a' },
      spec: {
        schedule: '0 3 * * *',
        jobTemplate: { spec: { template: { spec: { ...podSpec(container), restartPolicy: 'Never' } } } },
      },
    },
  ];
  const inputs = (objects: Json[]) => objects.map((object) => applied(`${object.kind.toLowerCase()}.yaml`, object));

  it('finds a misspelled container field in each kind, at its path', () => {
    const findings = ofRule(run(inputs(workloads({ imagePulPolicy: 'Always' }))), 'unknown-field');
    expect(findings.map((f) => `${f.location.object} ${f.location.fieldPath}`)).toEqual([
      'CronJob/a/nightly spec.jobTemplate.spec.template.spec.containers[0].imagePulPolicy',
      'DaemonSet/a/agent spec.template.spec.containers[0].imagePulPolicy',
      'Deployment/a/web spec.template.spec.containers[0].imagePulPolicy',
      'Job/a/once spec.template.spec.containers[0].imagePulPolicy',
      'StatefulSet/a/db spec.template.spec.containers[0].imagePulPolicy',
    ]);
    expect(new Set(findings.map((f) => f.hint))).toEqual(new Set(['did you mean "imagePullPolicy"?']));
  });

  it('passes the same workloads spelled right', () => {
    expect(ofRule(run(inputs(workloads({ imagePullPolicy: 'Always' }))), 'unknown-field')).toEqual([]);
  });

  it("uses the batch document of the environment's minor: Job successPolicy exists from 1.30", () => {
    const job = inputs(workloads())
      .filter((input) => input.object.kind === 'Job')
      .map((input) => {
        const object = structuredClone(input.object) as Json;
        object.spec.completionMode = 'Indexed';
        object.spec.completions = 2;
        object.spec.successPolicy = { rules: [{ succeededIndexes: '0' }] };
        return { ...input, object };
      });
    expect(unknownFields(job, '1.29')).toEqual(['Job/a/once spec.successPolicy']);
    expect(unknownFields(job, '1.30')).toEqual([]);
  });
});

describe('admission policies validate against the admissionregistration.k8s.io/v1 document of the minor', () => {
  const policyObjects = () => {
    const chart = new Chart(new App(), 'admission');
    new ExclusiveCapacityClassPolicy(chart, 'gpu', {
      capacityClass: 'gpu',
      grantedTo: [{ tenant: 'ml', namespace: 'spark-ml' }],
      checkedNamespaces: ['spark-data-eng'],
    });
    return chart.toJson() as Json[];
  };
  const inputs = (objects: Json[]) =>
    objects.map((object) => applied(`platform/admission/${object.kind.toLowerCase()}.yaml`, object));

  it('passes on every minor from 1.30, and is refused on 1.29, which does not serve it', () => {
    for (const version of ['1.30', '1.31', '1.32', '1.33'])
      expect({ version, findings: run(inputs(policyObjects()), false, undefined, version) }).toEqual({
        version,
        findings: [],
      });
    expect(
      run(inputs(policyObjects()), false, undefined, '1.29').map((f) => [f.rule, f.location.object, f.message]),
    ).toEqual([
      [
        'unknown-kind',
        'ValidatingAdmissionPolicy/emr-eks-gitops-capacity-class-gpu',
        'admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy is served from Kubernetes 1.30, not by 1.29',
      ],
      [
        'unknown-kind',
        'ValidatingAdmissionPolicyBinding/emr-eks-gitops-capacity-class-gpu',
        'admissionregistration.k8s.io/v1 ValidatingAdmissionPolicyBinding is served from Kubernetes 1.30, not by 1.29',
      ],
    ]);
  });

  it('finds a misspelled binding field and a bad enum value', () => {
    const [policy, binding] = policyObjects();
    binding!.spec.validationAction = binding!.spec.validationActions;
    delete binding!.spec.validationActions;
    expect(unknownFields(inputs([binding!]), '1.30')).toEqual([
      'ValidatingAdmissionPolicyBinding/emr-eks-gitops-capacity-class-gpu spec.validationAction',
    ]);
    policy!.spec.failurePolicy = 'Deny';
    expect(ofRule(run(inputs([policy!]), false, undefined, '1.30'), 'schema').map((f) => f.location.fieldPath)).toEqual(
      ['spec.failurePolicy'],
    );
  });
});
