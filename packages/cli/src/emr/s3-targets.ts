import { createHash } from 'node:crypto';
import type { ResolvedEnvironment } from '@emr-eks-gitops/charts';
import { CliError, EXIT } from '../io.js';

/**
 * What S3 must hold before the first job, read from the rendered documents themselves (never from a second copy of
 * the rules that wrote them): every s3:// URI below spark.artifactsS3Uri that a job document, notebook value or
 * add-on points at is a file to upload from artifacts/, and every spark.eventLog.dir and History Server
 * spark.history.fs.logDirectory is a prefix that must exist as a directory.
 */

/** A rendered file that a job, notebook or add-on reads from S3. */
export interface ArtifactUpload {
  readonly uri: string;
  readonly bucket: string;
  readonly key: string;
  /** The rendered file, relative to dist-manifests/<env>/. */
  readonly path: string;
  readonly body: Buffer;
  /** SHA-256 of body, base64, as S3 reports x-amz-checksum-sha256. */
  readonly sha256: string;
  readonly contentType: string;
  /** The tenant the file belongs to (artifacts/tenants/<tenant>/...), if any. */
  readonly tenant?: string;
}

/** An S3 prefix Spark (spark.eventLog.dir) or a History Server (spark.history.fs.logDirectory) requires to exist. */
export interface RequiredPrefix {
  readonly uri: string;
  readonly bucket: string;
  /** Ends with "/": the directory marker object's key. */
  readonly key: string;
  /** The rendered files that name it. */
  readonly sources: readonly string[];
}

export interface S3Targets {
  readonly uploads: readonly ArtifactUpload[];
  readonly prefixes: readonly RequiredPrefix[];
}

const S3_URI = /s3a?:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/([^\s"'`,;)}\]<>]*)/g;
/**
 * The properties naming a directory that must exist when Spark or the History Server starts, with where upstream
 * refuses a missing one (apache/spark core/src/main/scala/org/apache/spark/deploy/history/).
 */
export const REQUIRED_DIRECTORY_PROPERTIES = {
  /** EventLogFileWriters.scala requireLogBaseDirAsDirectory: getFileStatus(logBaseDir).isDirectory, else the app fails. */
  'spark.eventLog.dir': 'EventLogFileWriters.scala requireLogBaseDirAsDirectory',
  /** FsHistoryProvider.scala startPolling: "Log directory specified does not exist", and the server exits. */
  'spark.history.fs.logDirectory': 'FsHistoryProvider.scala startPolling',
} as const;
const DIRECTORY_PROPERTY = new RegExp(
  `(${Object.keys(REQUIRED_DIRECTORY_PROPERTIES)
    .map((name) => name.replace(/\./g, '\\.'))
    .join('|')})["']?\\s*[:=]\\s*["']?(s3a?://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](?:/[^\\s"'\`,;)}\\]<>]*)?)`,
  'g',
);

/** Scans the rendered files (READMEs excepted: they hold examples) for the artifacts to upload and the prefixes to create. */
export function s3Targets(config: ResolvedEnvironment, files: ReadonlyMap<string, string>): S3Targets {
  const base = parseS3Uri(config.spark.artifactsS3Uri);
  const basePrefix = base.key === '' ? '' : `${base.key}/`;
  const uploads = new Map<string, ArtifactUpload>();
  const prefixes = new Map<string, { uri: string; bucket: string; key: string; sources: Set<string> }>();
  for (const [path, text] of files) {
    if (path.endsWith('.md')) continue;
    for (const match of text.matchAll(S3_URI)) {
      const [uri, bucket, key] = match as unknown as [string, string, string];
      if (bucket !== base.bucket || !key.startsWith(basePrefix) || key.endsWith('/')) continue;
      const artifact = `artifacts/${key.slice(basePrefix.length)}`;
      const body = files.get(artifact);
      if (body === undefined) {
        throw new CliError(
          `${path} points at ${uri}, below spark.artifactsS3Uri, but the render has no ${artifact} to upload there ` +
            `(${config.sourcePath}); report this: a rendered document refers to a file that is not rendered`,
          EXIT.failed,
        );
      }
      if (!uploads.has(key)) uploads.set(key, artifactUpload(`s3://${bucket}/${key}`, bucket, key, artifact, body));
    }
    for (const match of text.matchAll(DIRECTORY_PROPERTY)) {
      const { bucket, key } = parseS3Uri(match[2]!);
      const dir = key === '' || key.endsWith('/') ? key : `${key}/`;
      if (dir === '') continue; // a bucket's root always exists
      const id = `${bucket}/${dir}`;
      const entry = prefixes.get(id) ?? { uri: `s3://${id}`, bucket, key: dir, sources: new Set<string>() };
      entry.sources.add(path);
      prefixes.set(id, entry);
    }
  }
  const byUri = <T extends { uri: string }>(a: T, b: T) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0);
  return {
    uploads: [...uploads.values()].sort(byUri),
    prefixes: [...prefixes.values()].map((entry) => ({ ...entry, sources: [...entry.sources].sort() })).sort(byUri),
  };
}

function artifactUpload(uri: string, bucket: string, key: string, path: string, text: string): ArtifactUpload {
  const body = Buffer.from(text, 'utf8');
  const tenant = /^artifacts\/tenants\/([^/]+)\//.exec(path)?.[1];
  return {
    uri,
    bucket,
    key,
    path,
    body,
    sha256: createHash('sha256').update(body).digest('base64'),
    contentType: path.endsWith('.json')
      ? 'application/json'
      : path.endsWith('.yaml')
        ? 'application/yaml'
        : 'application/octet-stream',
    ...(tenant !== undefined ? { tenant } : {}),
  };
}

/** s3://bucket/key (s3a:// too) into bucket and key (no leading "/"). */
export function parseS3Uri(uri: string): { readonly bucket: string; readonly key: string } {
  const match = /^s3a?:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) throw new CliError(`"${uri}" is not an s3:// URI`);
  return { bucket: match[1]!, key: match[2]! };
}
