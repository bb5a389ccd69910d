import { describe, expect, it } from 'vitest';
import { tenantCostLabels } from '@emr-eks-gitops/core';
import { loadEnvironmentText, renderEnvironment, type RenderResult } from '../src/index.js';
import { committedEnvironmentText as environmentText } from './committed-environments.js';

// Capacity classes exclusive to tenants launch their nodes from node classes of their own, whose spec.tags (Karpenter
// and Auto Mode put them on the instances and volumes they create) are the cost labels all those tenants share.

const load = (name: string, edit: (text: string) => string = (t) => t) =>
  loadEnvironmentText(edit(environmentText(name)), `environments/${name}.yaml`).config;
type NodeClassObject = {
  metadata: { name: string };
  spec: { tags?: Record<string, string>; instanceStorePolicy?: string };
};
const nodeClasses = (result: RenderResult, kind = 'EC2NodeClass') =>
  new Map(
    result.objects
      .filter((o) => o.object.kind === kind)
      .map((o) => [o.object.metadata.name, (o.object as unknown as NodeClassObject).spec]),
  );
/** Each NodePool's node class. */
const poolClasses = (result: RenderResult) =>
  Object.fromEntries(
    result.objects
      .filter((o) => o.object.kind === 'NodePool')
      .map((o) => [o.object.metadata.name, (o.object as any).spec.template.spec.nodeClassRef.name]),
  );

describe('cost tags of the nodes of exclusive capacity classes (prod)', () => {
  const config = load('prod');
  const prod = renderEnvironment(config);
  const ml = tenantCostLabels(config.costAllocation, config.tenants.find((t) => t.name === 'ml')!);

  it("the classes exclusive to ml launch from node classes tagged with ml's cost labels and the environment", () => {
    const classes = nodeClasses(prod);
    expect([...classes.keys()].sort()).toEqual([
      'spark',
      'spark-class-gpu',
      'spark-class-memory-nvme',
      'spark-nvme-class-memory-nvme',
    ]);
    const mlTags = { ...ml, 'emr-eks-gitops.io/environment': 'prod' };
    expect(mlTags).toEqual({
      'cost-centre': 'CC-0100',
      'emr-eks-gitops.io/environment': 'prod',
      'emr-eks-gitops.io/tenant': 'ml',
      team: 'machine-learning',
    });
    for (const name of ['spark-class-gpu', 'spark-class-memory-nvme', 'spark-nvme-class-memory-nvme'])
      expect(classes.get(name)!.tags, name).toEqual(mlTags);
    expect(classes.get('spark-nvme-class-memory-nvme')!.instanceStorePolicy).toBe('RAID0');
    expect(classes.get('spark-class-memory-nvme')!.instanceStorePolicy).toBeUndefined();
    // The environment's class keeps only the environment tag: its nodes run every tenant's pods.
    expect(classes.get('spark')!.tags).toEqual({ 'emr-eks-gitops.io/environment': 'prod' });
  });

  it("the README's cost section names the classes whose instances and volumes carry tenant tags, and their tags", () => {
    const readme = prod.files.get('README.md')!.split('## Cost per tenant')[1]!;
    const row = (name: string) =>
      `| \`${name}\` | ml | \`cost-centre=CC-0100\`, \`emr-eks-gitops.io/tenant=ml\`, \`team=machine-learning\` |`;
    expect(readme).toContain(row('memory-nvme'));
    expect(readme).toContain(row('gpu'));
    expect(readme).not.toContain('| `graviton` | ');
    expect(renderEnvironment(load('dev')).files.get('README.md')).toContain(
      'No capacity class here is exclusive to tenants that share a cost label',
    );
  });

  it("keeps the default pools and the class open to every tenant on the environment's node class", () => {
    expect(poolClasses(prod)).toEqual({
      'spark-driver': 'spark',
      'spark-executor-spot': 'spark',
      'spark-executor-on-demand': 'spark',
      'spark-graviton-driver': 'spark',
      'spark-graviton-executor-spot': 'spark',
      'spark-graviton-executor-on-demand': 'spark',
      'spark-gpu-driver': 'spark-class-gpu',
      'spark-gpu-executor-on-demand': 'spark-class-gpu',
      'spark-memory-nvme-driver': 'spark-class-memory-nvme',
      'spark-memory-nvme-executor-nvme-spot': 'spark-nvme-class-memory-nvme',
      'spark-memory-nvme-executor-nvme-on-demand': 'spark-nvme-class-memory-nvme',
    });
  });

  it("a class shared by tenants is tagged only with what they share; with nothing shared it stays on the environment's class", () => {
    const shared = renderEnvironment(
      load('prod', (text) =>
        text.replace(
          'exclusiveTo: [ml]\n      limits:\n        driver: { cpu: 32',
          'exclusiveTo: [ml, data-eng]\n      limits:\n        driver: { cpu: 32',
        ),
      ),
    );
    expect(nodeClasses(shared).get('spark-class-gpu')!.tags).toEqual({
      'cost-centre': 'CC-0100',
      'emr-eks-gitops.io/environment': 'prod',
    });
    const nothingShared = renderEnvironment(
      load('prod', (text) =>
        text
          .replace(
            'exclusiveTo: [ml]\n      limits:\n        driver: { cpu: 32',
            'exclusiveTo: [ml, data-eng]\n      limits:\n        driver: { cpu: 32',
          )
          .replace(/^costAllocation:.*\n.*\n/m, ''),
      ),
    );
    expect(nodeClasses(nothingShared).has('spark-class-gpu')).toBe(false);
    expect(poolClasses(nothingShared)['spark-gpu-driver']).toBe('spark');
    expect(nodeClasses(nothingShared).get('spark-class-memory-nvme')!.tags).toMatchObject({
      'emr-eks-gitops.io/tenant': 'ml',
      team: 'machine-learning',
    });
  });

  it("the environment's NVMe class is rendered again once an NVMe class is open to every tenant", () => {
    const open = renderEnvironment(
      load('prod', (text) =>
        text.replace('      localDisk: nvme\n      exclusiveTo: [ml]\n', '      localDisk: nvme\n'),
      ),
    );
    expect(nodeClasses(open).get('spark-nvme')!.instanceStorePolicy).toBe('RAID0');
    expect(poolClasses(open)['spark-memory-nvme-executor-nvme-spot']).toBe('spark-nvme');
    expect(nodeClasses(open).has('spark-class-memory-nvme')).toBe(false);
  });
});

describe('cost tags of an exclusive class on EKS Auto Mode (sandbox)', () => {
  const sandbox = renderEnvironment(
    load('sandbox', (text) =>
      text.replace(
        '  autoMode:\n',
        ['  classes:', '    - { name: lab, categories: [r], exclusiveTo: [shuffle-lab] }', '  autoMode:', ''].join(
          '\n',
        ),
      ),
    ),
  );

  it("renders a NodeClass of the class with the tenant's tags, and the cluster role policy that lets Auto Mode apply them", () => {
    const classes = nodeClasses(sandbox, 'NodeClass');
    expect(classes.get('spark-class-lab')!.tags).toEqual({
      'cost-centre': 'CC-0001',
      'emr-eks-gitops.io/environment': 'sandbox',
      'emr-eks-gitops.io/tenant': 'shuffle-lab',
      team: 'platform',
    });
    expect(poolClasses(sandbox)['spark-lab-driver']).toBe('spark-class-lab');
    expect(sandbox.files.has('artifacts/platform/karpenter/auto-mode-cluster-role-tag-policy.json')).toBe(true);
  });
});
