import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseDocument, type Document } from 'yaml';
import { environmentSchemaJson } from '@emr-eks-gitops/charts';
import { DNS_LABEL_PATTERN } from '@emr-eks-gitops/core';
import { CliError, EXIT, type CliIO } from '../io.js';
import { findProject, type Project } from '../project.js';
import { assertNewEnvironment, checkEnvironmentText, nextSteps, writeEnvironmentFile } from './environment-edit.js';
import { appendTenant } from './tenant-entry.js';

export interface InitOptions {
  readonly env: string;
  readonly region: string;
  readonly account: string;
  readonly cluster?: string;
  readonly backend: 'karpenter' | 'auto-mode';
  readonly delivery: 'flux' | 'argocd';
}

/** The commented template every new environment starts from (beside src/ and dist/ in the package). */
const TEMPLATE = new URL('../../templates/environment.yaml', import.meta.url);

/**
 * `emr-gitops init`: writes environments/<env>.yaml from the commented template with the given cluster, back end and
 * delivery, and one example tenant; checked like `validate` before it is written, and never over an existing file.
 */
export function initCommand(cwd: string, explicitRoot: string | undefined, options: InitOptions, io: CliIO): number {
  // The name becomes a path: refuse anything but a DNS label before it is joined to one.
  if (!new RegExp(DNS_LABEL_PATTERN).test(options.env) || options.env.length > 63) {
    throw new CliError(
      `--env "${options.env}": the environment name must be a DNS-1123 label (lowercase letters, digits, "-"; at most 63 characters)`,
    );
  }
  const project = projectFor(cwd, explicitRoot);
  assertNewEnvironment(project, options.env);
  const text = appendTenant(environmentText(options), { environment: options.env, name: 'example', size: 'small' });
  checkEnvironmentText(project, options.env, text, io);
  writeEnvironmentFile(project, options.env, text, 'create');
  // The editor-schema line points at environments/schema.json: a new project gets it too.
  const schema = join(project.environmentsDir, 'schema.json');
  if (!existsSync(schema)) writeFileSync(schema, environmentSchemaJson());
  io.out(
    `wrote environments/${options.env}.yaml (${options.backend}, ${options.delivery}, one example tenant); it renders and validates as it is\n`,
  );
  io.out(
    nextSteps(options.env, [
      `replace every CHANGE-ME value in environments/${options.env}.yaml (cluster, OIDC issuer, roles, buckets, repository)`,
      `rename or replace the example tenant; add teams with emr-gitops tenant add --env ${options.env} --name <team> --size small|medium|large`,
    ]),
  );
  return EXIT.ok;
}

/** The project at or above `cwd`, or a new one there (init may be the first command of a repository). */
function projectFor(cwd: string, explicitRoot: string | undefined): Project {
  const root = resolve(cwd, explicitRoot ?? '.');
  if (explicitRoot === undefined && !existsSync(join(root, 'environments'))) {
    try {
      return findProject(cwd);
    } catch {
      /* no project above: start one here */
    }
  }
  mkdirSync(join(root, 'environments'), { recursive: true });
  return findProject(root, '.');
}

/** The template with this environment's values set through the Document API, so its comments stay. */
function environmentText(options: InitOptions): string {
  const document = parseDocument(readFileSync(TEMPLATE, 'utf8'));
  const cluster = options.cluster ?? `spark-platform-${options.env}`;
  const account = options.account;
  const bucketStem = cluster.toLowerCase().replace(/_/g, '-');
  document.setIn(['cluster', 'name'], cluster);
  document.setIn(['cluster', 'region'], options.region);
  document.setIn(['cluster', 'accountId'], account);
  const partition = partitionOf(options.region);
  if (partition !== 'aws') document.setIn(['cluster', 'partition'], partition);
  document.setIn(
    ['cluster', 'oidcIssuer'],
    `https://oidc.eks.${options.region}.amazonaws.com${partition === 'aws-cn' ? '.cn' : ''}/id/00000000000000000000000000000000`,
  );
  document.setIn(['spark', 'artifactsS3Uri'], `s3://${bucketStem}-artifacts-${account}/emr-eks-gitops`);
  document.setIn(['spark', 'logs', 'cloudWatchLogGroupPrefix'], `/emr-on-eks/${cluster}`);
  document.setIn(['spark', 'logs', 's3Uri'], `s3://${bucketStem}-logs-${account}`);
  if (options.backend === 'auto-mode') {
    document.setIn(['capacity', 'backend'], 'auto-mode');
    document.setIn(['capacity', 'nodeRole'], `AmazonEKSAutoNodeRole-${cluster}`);
    for (const path of [
      ['capacity', 'amiAlias'],
      ['capacity', 'controller'],
      ['addons', 'karpenter'],
    ])
      document.deleteIn(path);
    removeIfEmpty(document, 'addons');
  } else {
    document.setIn(['capacity', 'nodeRole'], `KarpenterNodeRole-${cluster}`);
    document.setIn(
      ['capacity', 'controller', 'roleArn'],
      `arn:${partition}:iam::${account}:role/KarpenterController-${cluster}`,
    );
    document.setIn(['capacity', 'controller', 'interruptionQueue'], `${cluster}-karpenter`);
  }
  if (options.delivery === 'argocd') {
    document.setIn(['delivery', 'engine'], 'argocd');
    document.setIn(['delivery', 'argocd'], document.createNode({ namespace: 'argocd', project: 'default' }));
  }
  return document.toString({ lineWidth: 0 });
}

/** The AWS partition of a region: China and GovCloud regions have their own ARNs. */
function partitionOf(region: string): 'aws' | 'aws-cn' | 'aws-us-gov' {
  return region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
}

function removeIfEmpty(document: Document, key: string): void {
  const value = document.get(key) as { items?: unknown[] } | undefined;
  if (value?.items?.length === 0) document.delete(key);
}
