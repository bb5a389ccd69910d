import { describe, expect, it } from 'vitest';
import { AUTO_MODE_TAGGED_NODE_ACTIONS, hasErrors, validateObjects } from '@emr-eks-gitops/core';
import {
  EnvironmentFileError,
  type RenderError,
  loadEnvironmentText,
  renderEnvironment,
  type RenderResult,
} from '../src/index.js';
import { Subject } from '../../core/src/validation/subject.js';
import { misfit, readPlacement, readPool, targetsOtherCapacity } from '../../core/src/validation/capacity/placement.js';
import { committedEnvironmentText as environmentText } from './committed-environments.js';
import { issueText } from './render-issues.js';

// EKS Auto Mode as the capacity back end: the committed sandbox environment, switching it to self-managed Karpenter
// (one line), where the add-ons go, and the located errors of what Auto Mode cannot do.

const load = (name: string, edit: (text: string) => string = (t) => t) =>
  loadEnvironmentText(edit(environmentText(name)), `environments/${name}.yaml`).config;
/** The one line that chooses the back end, as the sandbox file writes it. */
const BACKEND_LINE = /^ {2}backend: auto-mode .*$/m;
const toKarpenter = (text: string) => {
  expect(text).toMatch(BACKEND_LINE);
  return text.replace(BACKEND_LINE, '  backend: karpenter');
};
const problemsOf = (name: string, edit: (text: string) => string): string[] => {
  try {
    load(name, edit);
  } catch (error) {
    if (error instanceof EnvironmentFileError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected an EnvironmentFileError');
};
type AnyObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: any;
  data?: any;
  provisioner?: string;
};
const objectsOf = (result: RenderResult, kind: string) =>
  result.objects.filter((o) => o.object.kind === kind).map((o) => o.object as AnyObject);
const subjects = (result: RenderResult) => result.objects.map((o) => new Subject(o, result.environment));

/** sandbox shows prometheus-operator mode; the add-on placement tests need the Prometheus server this project installs. */
const OPERATOR_BLOCK = /^ {4}mode: operator\n {4}operator:\n( {6}.*\n)+/m;
const withPrometheusServer = (text: string) => {
  expect(text).toMatch(OPERATOR_BLOCK);
  return text.replace(
    OPERATOR_BLOCK,
    `    mode: server
    server:
      storageSize: 10Gi
      retention: 3d
      service: { type: ClusterIP, port: 80 }
      resources: { requests: { cpu: 250m, memory: 1Gi }, limits: { memory: 2Gi } }
`,
  );
};

describe('sandbox on EKS Auto Mode (its Prometheus in server mode)', () => {
  const config = load('sandbox', withPrometheusServer);
  const result = renderEnvironment(config);

  // EKS user guide, "Custom AWS tags for EKS Auto resources": Auto Mode's managed policies allow no user-defined tags,
  // so a NodeClass with spec.tags launches nothing unless the cluster IAM role has the extra policy.
  it('NodeClasses with tags come with the cluster role policy that allows them, and the README step that attaches it', () => {
    const tagged = objectsOf(result, 'NodeClass').filter((o) => Object.keys(o.spec.tags ?? {}).length > 0);
    expect(tagged.map((o) => o.metadata.name).sort()).toEqual(['spark', 'spark-nvme']);
    const policy = JSON.parse(result.files.get('artifacts/platform/karpenter/auto-mode-cluster-role-tag-policy.json')!);
    const allowed = policy.Statement.flatMap((statement: { Action: string | string[] }) => [statement.Action].flat());
    for (const action of AUTO_MODE_TAGGED_NODE_ACTIONS) expect(allowed, action).toContain(action);
    // Every statement holds the tags to the cluster's own resources, as the guide's policy does.
    for (const statement of policy.Statement) {
      expect(statement.Condition.StringEquals['aws:RequestTag/eks:eks-cluster-name']).toBe(
        '${aws:PrincipalTag/eks:eks-cluster-name}',
      );
    }
    expect(policy.Statement.find((s: { Sid: string }) => s.Sid === 'Storage').Resource).toEqual([
      `arn:${config.cluster.partition}:ec2:*:*:volume/*`,
      `arn:${config.cluster.partition}:ec2:*:*:snapshot/*`,
    ]);
    const readme = result.files.get('README.md')!;
    expect(readme).toContain('aws iam put-role-policy --role-name "$(aws eks describe-cluster --name');
    expect(readme).toContain(
      `--policy-document file://dist-manifests/sandbox/artifacts/platform/karpenter/auto-mode-cluster-role-tag-policy.json`,
    );
    // Self-managed Karpenter's nodes are launched by its controller's own role: no such policy there.
    const karpenter = renderEnvironment(load('sandbox', toKarpenter));
    expect([...karpenter.files.keys()].filter((path) => path.includes('tag-policy'))).toEqual([]);
  });

  it('renders eks.amazonaws.com NodeClasses and none of what Auto Mode replaces', () => {
    expect(
      objectsOf(result, 'NodeClass')
        .map((o) => [o.apiVersion, o.metadata.name])
        .sort(),
    ).toEqual([
      ['eks.amazonaws.com/v1', 'spark'],
      ['eks.amazonaws.com/v1', 'spark-nvme'],
    ]);
    expect(objectsOf(result, 'EC2NodeClass')).toEqual([]);
    const paths = [...result.files.keys()];
    expect(paths.filter((path) => path.startsWith('crds/') || path.startsWith('karpenter/'))).toEqual([]);
    expect(paths).not.toContain('artifacts/platform/karpenter/controller-values.yaml');
    expect(objectsOf(result, 'Kustomization').map((k) => k.metadata.name)).not.toContain('emr-eks-gitops-crds');
    // The first layer Flux applies is the platform: nothing to wait for.
    const platform = objectsOf(result, 'Kustomization').find((k) => k.metadata.name === 'emr-eks-gitops-platform')!;
    expect(platform.spec.dependsOn).toBeUndefined();
    for (const pool of objectsOf(result, 'NodePool')) {
      expect(pool.spec.template.spec.nodeClassRef.group).toBe('eks.amazonaws.com');
      expect(JSON.stringify(pool.spec.template.spec.requirements)).not.toContain('karpenter.k8s.aws/');
      // Auto Mode replaces nodes after 21 days at most.
      expect(pool.spec.template.spec.expireAfter).toBe('336h');
    }
    expect(
      hasErrors(
        validateObjects(result.objects, {
          environment: 'sandbox',
          production: false,
          kubernetesVersion: config.cluster.kubernetesVersion,
        }),
      ),
    ).toBe(false);
  });

  it("every StorageClass uses Auto Mode's EBS provisioner; NetworkPolicy enforcement is switched on", () => {
    const classes = objectsOf(result, 'StorageClass');
    expect(classes.map((c) => c.metadata.name).sort()).toEqual(['gp3', 'jupyterhub-gp3', 'prometheus-gp3']);
    expect(new Set(classes.map((c) => c.provisioner))).toEqual(new Set(['ebs.csi.eks.amazonaws.com']));
    expect(objectsOf(result, 'ConfigMap').find((c) => c.metadata.name === 'amazon-vpc-cni')).toMatchObject({
      metadata: {
        namespace: 'kube-system',
        annotations: {
          'kustomize.toolkit.fluxcd.io/prune': 'disabled',
          'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
        },
      },
      data: { 'enable-network-policy-controller': 'true' },
    });
  });

  it('the compute config enables the configured built-in pools with the node role', () => {
    expect(JSON.parse(result.files.get('artifacts/platform/karpenter/auto-mode-cluster-config.json')!)).toEqual({
      name: 'spark-platform-sandbox',
      computeConfig: {
        enabled: true,
        nodePools: ['system'],
        nodeRoleArn: 'arn:aws:iam::510987654321:role/AmazonEKSAutoNodeRole-spark-platform-sandbox',
      },
      kubernetesNetworkConfig: { elasticLoadBalancing: { enabled: true } },
      storageConfig: { blockStorage: { enabled: true } },
    });
    expect(result.files.get('README.md')).toContain(
      'aws eks update-cluster-config --cli-input-json file://dist-manifests/sandbox/artifacts/platform/karpenter/auto-mode-cluster-config.json',
    );
  });

  it('a driver can land only on on-demand capacity of the driver pool; executors reach spot first', () => {
    const pools = subjects(result)
      .filter((s) => s.is('karpenter.sh', 'NodePool'))
      .map(readPool);
    for (const tenant of config.tenants) {
      for (const role of ['driver', 'executor'] as const) {
        const template = subjects(result).find(
          (s) => s.input.path === `artifacts/tenants/${tenant.name}/pod-templates/${role}.yaml`,
        )!;
        const placement = readPlacement(template)!;
        const fits = pools
          .filter((pool) => misfit(placement, pool) === undefined)
          .map((pool) => pool.name)
          .sort();
        if (role === 'driver') {
          expect(fits, tenant.name).toEqual(['spark-driver']);
          expect(
            misfit(placement, pools.find((p) => p.name === 'spark-driver')!, [
              { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] },
            ]),
          ).toBeDefined();
        } else {
          const disk = tenant.spark?.localDisk === 'instance-store' ? 'spark-executor-nvme' : 'spark-executor';
          expect(fits, tenant.name).toEqual([`${disk}-on-demand`, `${disk}-spot`]);
        }
      }
    }
  });

  it('the add-ons run on the built-in system pool, tolerating its taint, and fit no Spark pool', () => {
    const prometheus = objectsOf(result, 'HelmRelease').find((r) => r.metadata.name === 'prometheus')!.spec.values
      .server;
    expect(prometheus.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      {
        matchExpressions: [
          { key: 'karpenter.sh/nodepool', operator: 'In', values: ['system'] },
          { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
        ],
      },
    ]);
    expect(prometheus.tolerations).toEqual([{ key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' }]);
    const hub = objectsOf(result, 'HelmRelease').find((r) => r.metadata.name === 'jupyterhub')!.spec.values;
    // The hub and the proxy: the same affinity (the chart's own core affinity off), and the pool's taint tolerated.
    for (const spec of [hub.hub.extraPodSpec, hub.proxy.chp.extraPodSpec])
      expect(spec.affinity.nodeAffinity).toEqual(prometheus.affinity.nodeAffinity);
    expect(hub.scheduling.corePods).toEqual({
      nodeAffinity: { matchNodePurpose: 'ignore' },
      tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' }],
    });
    // Nothing here is called "system": the add-ons can never be scheduled onto a Spark node.
    expect(objectsOf(result, 'NodePool').map((p) => p.metadata.name)).not.toContain('system');
  });

  it('the Spark History Server on Auto Mode: a Deployment on the system pool that the capacity rules accept', () => {
    const withHistory = load('sandbox', (text) =>
      text.replace(
        /^addons:\n/m,
        `addons:
  historyServer:
    image: 996579266876.dkr.ecr.ap-northeast-2.amazonaws.com/spark/emr-7.5.0:latest
    roleArn: arn:aws:iam::510987654321:role/spark-history-server-sandbox
`,
      ),
    );
    const rendered = renderEnvironment(withHistory);
    const deployments = subjects(rendered).filter((s) => s.is('apps', 'Deployment'));
    expect(deployments.map((s) => s.name).sort()).toEqual(['spark-history-explore', 'spark-history-shuffle-lab']);
    const pools = subjects(rendered)
      .filter((s) => s.is('karpenter.sh', 'NodePool'))
      .map(readPool);
    for (const deployment of deployments) {
      const placement = readPlacement(deployment)!;
      expect(placement.spec.tolerations).toEqual([
        { key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' },
      ]);
      expect(targetsOtherCapacity(placement)).toBe(true);
      for (const pool of pools) expect(misfit(placement, pool), pool.name).toBeDefined();
    }
    expect(
      hasErrors(
        validateObjects(rendered.objects, {
          environment: 'sandbox',
          production: false,
          kubernetesVersion: withHistory.cluster.kubernetesVersion,
        }),
      ),
    ).toBe(false);
    expect(rendered.files.get('README.md')).toContain('on the built-in pool `system` (never on a\nSpark pool)');
  });
});

describe('switching sandbox from Auto Mode to self-managed Karpenter is one line', () => {
  const auto = renderEnvironment(load('sandbox'));
  const karpenter = renderEnvironment(load('sandbox', toKarpenter));
  const changed = [...auto.files.keys()]
    .filter((path) => karpenter.files.has(path) && karpenter.files.get(path) !== auto.files.get(path))
    .sort();
  const removed = [...auto.files.keys()].filter((path) => !karpenter.files.has(path)).sort();
  const added = [...karpenter.files.keys()].filter((path) => !auto.files.has(path)).sort();

  it('the diff is the back end and nothing else', () => {
    expect(removed).toEqual([
      'artifacts/platform/cluster-access/node-access-policy.json', // Auto Mode's node role needs AmazonEKSAutoNodePolicy
      'artifacts/platform/karpenter/auto-mode-cluster-config.json',
      'artifacts/platform/karpenter/auto-mode-cluster-role-tag-policy.json',
      'platform/karpenter/configmap-amazon-vpc-cni.yaml',
      'platform/karpenter/nodeclass-spark-nvme.yaml',
      'platform/karpenter/nodeclass-spark.yaml',
    ]);
    expect(added).toEqual([
      'addons/prometheus/configmap-dashboard-emr-karpenter.yaml', // Karpenter's dashboard: nothing of it to scrape on Auto Mode
      'addons/prometheus/podmonitor-karpenter.yaml', // the operator's Prometheus scrapes the controller this project now runs
      'artifacts/iam/KarpenterController-spark-platform-sandbox.json', // the controller's permissions, the node role's managed policies
      'artifacts/iam/managed-policy-attachments.json',
      'artifacts/platform/karpenter/controller-values.yaml',
      'artifacts/platform/pod-identity/eks-pod-identity-agent-addon.json', // sandbox uses Pod Identity: its agent is now an add-on to install
      'crds/helmrelease-karpenter-crd.yaml',
      'crds/kustomization.yaml',
      'crds/ocirepository-karpenter-crd.yaml',
      'flux/kustomization-emr-eks-gitops-crds.yaml',
      'platform/karpenter/ec2nodeclass-spark-nvme.yaml',
      'platform/karpenter/ec2nodeclass-spark.yaml',
    ]);
    expect(changed).toEqual([
      'README.md',
      'addons/jupyterhub/helmrelease-jupyterhub.yaml', // hub and proxy placement, nothing else
      'addons/jupyterhub/storageclass-jupyterhub-gp3.yaml', // provisioner
      'addons/prometheus/kustomization.yaml', // lists the Karpenter dashboard and PodMonitor
      'addons/prometheus/prometheusrule-emr-spark-platform.yaml', // the Karpenter alerts
      'artifacts/platform/cluster-access/node-access-entry.json', // type EC2 (Auto Mode) -> EC2_LINUX (self-managed nodes)
      'flux/kustomization-emr-eks-gitops-platform.yaml', // now after the CRDs
      'flux/kustomization.yaml',
      'platform/karpenter/kustomization.yaml',
      'platform/karpenter/nodepool-spark-driver.yaml',
      'platform/karpenter/nodepool-spark-executor-nvme-on-demand.yaml',
      'platform/karpenter/nodepool-spark-executor-nvme-spot.yaml',
      'platform/karpenter/nodepool-spark-executor-on-demand.yaml',
      'platform/karpenter/nodepool-spark-executor-spot.yaml',
      'platform/storage/storageclass-gp3.yaml',
    ]);
    // Tenants, their pod templates and EMR documents do not move: placements are the same on both back ends.
    expect(changed.filter((path) => path.startsWith('tenants/') || path.startsWith('artifacts/tenants/'))).toEqual([]);
  });

  it('a NodePool changes only its node class reference, its label names and its node lifetime', () => {
    const pool = (result: RenderResult) =>
      JSON.parse(JSON.stringify(objectsOf(result, 'NodePool').find((p) => p.metadata.name === 'spark-executor-spot')));
    const [a, k] = [pool(auto), pool(karpenter)];
    expect(a.spec.template.spec.nodeClassRef).toEqual({ group: 'eks.amazonaws.com', kind: 'NodeClass', name: 'spark' });
    expect(k.spec.template.spec.nodeClassRef).toEqual({
      group: 'karpenter.k8s.aws',
      kind: 'EC2NodeClass',
      name: 'spark',
    });
    expect(
      JSON.stringify(a.spec.template.spec.requirements).replaceAll('eks.amazonaws.com/', 'karpenter.k8s.aws/'),
    ).toBe(JSON.stringify(k.spec.template.spec.requirements));
    expect([a.spec.template.spec.expireAfter, k.spec.template.spec.expireAfter]).toEqual(['336h', '720h']);
    for (const p of [a, k]) {
      delete p.spec.template.spec.nodeClassRef;
      delete p.spec.template.spec.requirements;
      delete p.spec.template.spec.expireAfter;
    }
    expect(a).toEqual(k);
  });
});

describe('located errors of what Auto Mode cannot do', () => {
  const autoDev = (text: string) => text.replace(/^capacity:\n/m, 'capacity:\n  backend: auto-mode\n');

  it("a Karpenter controller release beside Auto Mode's own [auto-mode-no-karpenter-controller]", () => {
    // dev's driver nodes live 720h with a 24h drain: too long for Auto Mode as well.
    expect(problemsOf('dev', autoDev)).toEqual([
      "environments/dev.yaml:22:18: capacity.driverNodes.expireAfter: 720h plus the drain's terminationGracePeriod 25h passes Auto Mode's 21-day node lifetime (504h): the node is replaced while the drain still waits for running drivers, and they are killed; set expireAfter to at most 479h [auto-mode-node-lifetime]",
      'environments/dev.yaml:48:14: addons.karpenter: EKS Auto Mode runs Karpenter itself: a second controller would act on the same NodePools; remove addons.karpenter (capacity.controller is then unused) [auto-mode-no-karpenter-controller]',
    ]);
  });

  it("driver nodes that would outlive Auto Mode's 21 days [auto-mode-node-lifetime]", () => {
    expect(problemsOf('sandbox', (t) => t.replace('    expireAfter: 336h', '    expireAfter: 500h'))).toEqual([
      "environments/sandbox.yaml:25:18: capacity.driverNodes.expireAfter: 500h plus the drain's terminationGracePeriod 13h passes Auto Mode's 21-day node lifetime (504h): the node is replaced while the drain still waits for running drivers, and they are killed; set expireAfter to at most 491h [auto-mode-node-lifetime]",
    ]);
    // Without a terminationGracePeriod Auto Mode drains for 24h.
    expect(
      problemsOf('sandbox', (t) =>
        t
          .replace('    expireAfter: 336h', '    expireAfter: 490h')
          .replace(/^ {4}terminationGracePeriod: 13h.*\n/m, ''),
      ),
    ).toEqual([
      "environments/sandbox.yaml:25:18: capacity.driverNodes.expireAfter: 490h plus the drain's terminationGracePeriod 24h passes Auto Mode's 21-day node lifetime (504h): the node is replaced while the drain still waits for running drivers, and they are killed; set expireAfter to at most 480h [auto-mode-node-lifetime]",
    ]);
    // Without expireAfter the driver pool expires after Auto Mode's 336h, and a long drain passes 504h all the same.
    const longDrain = (t: string) =>
      t
        .replace(/^ {4}expireAfter: 336h\n/m, '')
        .replace('terminationGracePeriod: 13h ', 'terminationGracePeriod: 200h');
    expect(problemsOf('sandbox', longDrain)).toEqual([
      "environments/sandbox.yaml:25:29: capacity.driverNodes.terminationGracePeriod: 200h after the driver pool's default expireAfter 336h passes Auto Mode's 21-day node lifetime (504h): the node is replaced while the drain still waits for running drivers, and they are killed; set terminationGracePeriod to at most 168h, or set expireAfter to at most 304h [auto-mode-node-lifetime]",
    ]);
    expect(() =>
      load('sandbox', (t) => longDrain(t).replace('terminationGracePeriod: 200h', 'terminationGracePeriod: 168h')),
    ).not.toThrow();
    expect(problemsOf('sandbox', (t) => t.replace('    expireAfter: 336h', '    expireAfter: Never'))).toEqual([
      'environments/sandbox.yaml:25:18: capacity.driverNodes.expireAfter: Auto Mode replaces every node after at most 21 days (504h), so "Never" does not hold; set a duration such that expireAfter plus terminationGracePeriod (13h) is at most 504h, e.g. 336h [auto-mode-node-lifetime]',
    ]);
  });

  it('add-ons on a built-in pool that is not enabled [auto-mode-addon-pool]', () => {
    expect(
      problemsOf('sandbox', (t) => t.replace('addonNodePool: system ', 'addonNodePool: general-purpose ')),
    ).toEqual([
      'environments/sandbox.yaml:19:20: capacity.autoMode.addonNodePool: the add-ons (addons.prometheus, addons.jupyterhub) run on the built-in pool general-purpose, which builtInNodePools does not enable: their pods would stay Pending; add general-purpose to capacity.autoMode.builtInNodePools [auto-mode-addon-pool]',
    ]);
  });

  it('self-managed Karpenter without its settings [capacity-backend-settings]', () => {
    const bare = (t: string) =>
      toKarpenter(t)
        .replace(/^ {2}amiAlias: .*\n/m, '')
        .replace(/^ {2}controller:\n( {4}.*\n)+/m, '');
    expect(problemsOf('sandbox', bare)).toEqual([
      'environments/sandbox.yaml:13:3: capacity: backend karpenter needs amiAlias, the pinned AMI of its EC2NodeClasses (e.g. al2023@v20250101); set it, or set backend: auto-mode [capacity-backend-settings]',
      "environments/sandbox.yaml:13:3: capacity: backend karpenter needs controller (roleArn, interruptionQueue): the Karpenter controller's IRSA role and spot interruption queue; set it, or set backend: auto-mode [capacity-backend-settings]",
    ]);
  });

  it('a job longer than the drain Auto Mode gives a driver node (run-time rule driver-node-expiry)', () => {
    const config = load('sandbox', (t) =>
      t.replace(/^ {4}terminationGracePeriod: 13h.*\n/m, '').replace('maxJobDuration: 12h', 'maxJobDuration: 36h'),
    );
    let issues: RenderError['issues'] = [];
    try {
      renderEnvironment(config);
    } catch (error) {
      issues = (error as RenderError).issues;
    }
    expect(issues.map(issueText)).toContainEqual(
      expect.objectContaining({
        configPath: ['tenants', 1, 'spark', 'maxJobDuration'],
        message: expect.stringContaining(
          "spark.maxJobDuration 36h plus the 15m a job may wait to start (EMR's job-start-timeout, while its job runner already runs) is longer than the driver pool's terminationGracePeriod 24h",
        ),
      }),
    );
  });
});
