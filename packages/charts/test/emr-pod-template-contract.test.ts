import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  EMR_POD_TEMPLATE_CONTRACT,
  podTemplateContractViolations,
  SESSION_EXECUTOR_TEMPLATE_FILE,
} from '@emr-eks-gitops/core';
import { renderCommittedEnvironments } from './committed-environments.js';

// Every pod template every committed environment renders, read against EMR's allow-lists (the contract's data), not
// against the builder: a builder change that adds a field EMR refuses fails here, whichever variant it reaches.
const rendered = renderCommittedEnvironments().map(({ name, result }) => ({ name, files: result.files }));
const TEMPLATE = /^artifacts\/tenants\/.+\/pod-templates\/(driver|executor)\.yaml$/;
const templates = rendered.flatMap(({ name, files }) =>
  [...files.entries()]
    .filter(([path]) => TEMPLATE.test(path))
    .map(([path, text]) => ({
      environment: name,
      path,
      role: TEMPLATE.exec(path)![1] as 'driver' | 'executor',
      pod: parse(text) as Record<string, any>,
    })),
);

describe('EMR on EKS pod template contract, on every rendered template', () => {
  it('covers every variant: defaults, capacity classes (GPU too), single-zone and Fargate tenants', () => {
    const paths = templates.map(({ environment, path }) => `${environment}/${path}`);
    expect(paths.length).toBeGreaterThanOrEqual(30);
    expect(paths).toEqual(
      expect.arrayContaining([
        'dev/artifacts/tenants/app-dev/pod-templates/driver.yaml',
        'prod/artifacts/tenants/ml/classes/gpu/pod-templates/executor.yaml',
        'prod/artifacts/tenants/data-eng/classes/default/pod-templates/driver.yaml',
        'staging/artifacts/tenants/ml/single-zone/pod-templates/executor.yaml',
        // staging's reporting tenant runs on Fargate.
        'staging/artifacts/tenants/reporting/pod-templates/executor.yaml',
      ]),
    );
  });

  it('every template uses only fields EMR allows: no pod securityContext, none on the Spark container', () => {
    for (const { environment, path, pod } of templates) {
      expect(podTemplateContractViolations(pod), `${environment}/${path}`).toEqual([]);
      expect(pod.spec.securityContext, `${environment}/${path}`).toBeUndefined();
    }
  });

  it('every template names its Spark container as EMR expects and mounts nothing under /mnt', () => {
    const reserved = EMR_POD_TEMPLATE_CONTRACT.reservedMountPath;
    for (const { environment, path, role, pod } of templates) {
      expect(
        pod.spec.containers.map((c: any) => c.name),
        `${environment}/${path}`,
      ).toContain(EMR_POD_TEMPLATE_CONTRACT.sparkMainContainerNames[role]);
      const mounts = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].flatMap((c: any) =>
        (c.volumeMounts ?? []).map((m: any) => m.mountPath as string),
      );
      expect(
        mounts.filter((m) => m === reserved || m.startsWith(`${reserved}/`)),
        `${environment}/${path}`,
      ).toEqual([]);
    }
  });

  it('init containers run non-root under restricted settings, and the AWS CLI one has a writable HOME (aws/aws-cli#9075)', () => {
    const withInit = templates.filter(({ pod }) => (pod.spec.initContainers ?? []).length > 0);
    // app-dev's drivers and executors fetch custom code in every environment that has the tenant.
    expect(withInit.map(({ environment, path }) => `${environment}/${path}`)).toEqual(
      expect.arrayContaining([
        'dev/artifacts/tenants/app-dev/pod-templates/driver.yaml',
        'dev/artifacts/tenants/app-dev/pod-templates/executor.yaml',
      ]),
    );
    for (const { environment, path, pod } of withInit) {
      for (const init of pod.spec.initContainers) {
        expect(init.securityContext, `${environment}/${path} ${init.name}`).toMatchObject({
          runAsNonRoot: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        });
        const home = init.env?.find((variable: any) => variable.name === 'HOME')?.value;
        expect(home, `${environment}/${path} ${init.name}: HOME`).toMatch(/^\/./);
        const mount = init.volumeMounts.find((m: any) => m.mountPath === home);
        const volume = pod.spec.volumes.find((v: any) => v.name === mount?.name);
        expect(volume?.emptyDir, `${environment}/${path} ${init.name}: HOME on an emptyDir`).toBeDefined();
      }
    }
  });

  it('every podTemplateFile an EMR job names is one of these templates; notebook sessions (Spark alone) name the session executor', () => {
    for (const { name, files } of rendered) {
      const keys = new Set(
        templates.filter((t) => t.environment === name).map((t) => t.path.replace(/^artifacts\//, '')),
      );
      const referenced = (pattern: RegExp) =>
        [...files.entries()]
          .filter(([path]) => pattern.test(path))
          .flatMap(([, text]) =>
            [...text.matchAll(/podTemplateFile[=":\s]+"?(s3:\/\/[^\s"]+\.yaml)/g)].map((m) => m[1]!),
          );
      const emr = referenced(/^artifacts\/tenants\/.+\.json$/);
      expect(emr.length, name).toBeGreaterThan(0);
      for (const uri of emr)
        expect(
          [...keys].some((key) => uri.endsWith(`/${key}`)),
          `${name}: ${uri}`,
        ).toBe(true);
      const sessions = referenced(/^addons\/jupyterhub\//);
      expect(sessions.length, name).toBeGreaterThan(0);
      for (const uri of sessions) {
        expect(uri, name).toMatch(new RegExp(`/pod-templates/${SESSION_EXECUTOR_TEMPLATE_FILE}$`));
        const path = `artifacts/${uri.slice(uri.indexOf('/tenants/') + 1)}`;
        const session = parse(files.get(path)!) as Record<string, any>;
        // Spark takes any field: the session executor keeps the pod securityContext whose fsGroup makes the scratch writable.
        expect(session.spec.securityContext, `${name}: ${path}`).toMatchObject({
          runAsNonRoot: true,
          runAsUser: 999,
          fsGroup: 1000,
        });
        expect(session.spec.containers[0].name, `${name}: ${path}`).toBe(
          EMR_POD_TEMPLATE_CONTRACT.sparkMainContainerNames.executor,
        );
      }
    }
  });
});
