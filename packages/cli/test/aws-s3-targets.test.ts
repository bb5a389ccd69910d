import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { clusterViews, outputRoot } from '@emr-eks-gitops/charts';
import { findProject, loadEnvironments } from '../src/project.js';
import { REQUIRED_DIRECTORY_PROPERTIES, s3Targets } from '../src/emr/s3-targets.js';

// Every rendered variant (each environment; each tenant's job documents, capacity classes, single-zone variants,
// notebooks, History Servers) against what Spark reads from S3: each podTemplateFile is an object apply uploads
// byte for byte, each directory Spark or the History Server requires (REQUIRED_DIRECTORY_PROPERTIES) a prefix apply creates.

const repository = fileURLToPath(new URL('../../../', import.meta.url));
const project = findProject(repository);
/** The files Spark reads by path, from a job's spark-defaults (apache/spark Config.scala KUBERNETES_*_PODTEMPLATE_FILE). */
const FILE_PROPERTIES = ['spark.kubernetes.driver.podTemplateFile', 'spark.kubernetes.executor.podTemplateFile'];

/** The files below `folder` (`dist-manifests/<env>`, or a cluster's folder of an environment with clusters:). */
function committedFiles(folder: string): Map<string, string> {
  const root = join(repository, folder);
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(root, path), readFileSync(path, 'utf8'));
    }
  };
  walk(root);
  return files;
}

/** Every spark-defaults property of the job documents under artifacts/ (the JSON ones). */
function jobProperties(files: ReadonlyMap<string, string>): { path: string; name: string; value: string }[] {
  const found: { path: string; name: string; value: string }[] = [];
  for (const [path, text] of files) {
    if (!path.startsWith('artifacts/tenants/') || !path.endsWith('.json')) continue;
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(visit);
      else if (node && typeof node === 'object') {
        const record = node as Record<string, unknown>;
        if (record.classification === 'spark-defaults' && record.properties) {
          for (const [name, value] of Object.entries(record.properties as Record<string, string>))
            found.push({ path, name, value });
        }
        Object.values(record).forEach(visit);
      }
    };
    visit(JSON.parse(text));
  }
  return found;
}

// Each cluster of an environment with clusters: uploads its own folder's artifacts, as emr apply does per cluster.
const variants = loadEnvironments(project).flatMap((loaded) =>
  clusterViews(loaded.config).map(
    ({ config }) =>
      [config.fleet ? `${config.name}/${config.fleet.cluster}` : config.name, outputRoot(config), config] as const,
  ),
);

describe.each(variants)('S3 targets of %s', (_name, folder, config) => {
  const files = committedFiles(folder);
  const targets = s3Targets(config, files);
  const properties = jobProperties(files);

  it('uploads every pod template a job document names, exactly the rendered bytes', () => {
    const named = properties.filter((p) => FILE_PROPERTIES.includes(p.name));
    expect(named.length).toBeGreaterThan(0);
    for (const property of named) {
      const upload = targets.uploads.find((candidate) => candidate.uri === property.value);
      expect(upload, `${property.path} ${property.name}`).toBeDefined();
      expect(upload!.body.toString('utf8')).toBe(files.get(upload!.path));
    }
    // Nothing else: every upload is a file some rendered document names.
    expect(
      targets.uploads.every(
        (upload) =>
          named.some((p) => p.value === upload.uri) ||
          [...files].some(([path, text]) => !path.endsWith('.md') && text.includes(upload.uri)),
      ),
    ).toBe(true);
  });

  it('creates every directory Spark and the History Servers require to exist', () => {
    const required = properties
      .filter((p) => p.name in REQUIRED_DIRECTORY_PROPERTIES)
      .map((p) => p.value.replace(/\/?$/, '/'));
    const history = [...files]
      .filter(([path]) => path.startsWith('addons/spark-history/deployment-'))
      .map(([, text]) => /spark\.history\.fs\.logDirectory=(\S+)/.exec(text)?.[1] ?? '');
    expect(required.length).toBeGreaterThan(0);
    for (const dir of [...required, ...history])
      expect(
        targets.prefixes.map((prefix) => prefix.uri),
        dir,
      ).toContain(dir.replace(/\/?$/, '/'));
  });
});
