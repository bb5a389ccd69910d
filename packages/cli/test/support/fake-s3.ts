import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { FakeServer, xmlText, type Answer } from './fake-server.js';

/**
 * A local stand-in for the S3 REST-XML API (service model s3 2006-03-01), path-style: HeadBucket, HeadObject,
 * GetObject, PutObject (checking x-amz-checksum-sha256 against the bytes, keeping it for HeadObject with
 * x-amz-checksum-mode: ENABLED), ListObjectsV2 (paged) and DeleteObject.
 */
export type S3Operation = 'HeadBucket' | 'HeadObject' | 'GetObject' | 'PutObject' | 'ListObjectsV2' | 'DeleteObject';

export interface FakeObject {
  body: Buffer;
  metadata: Record<string, string>;
  contentType: string;
  /** base64 SHA-256, when the upload carried one. */
  checksumSha256?: string;
}

export class FakeS3 extends FakeServer<S3Operation> {
  readonly buckets = new Map<string, Map<string, FakeObject>>();
  /** Largest page ListObjectsV2 returns. */
  pageSize = 1000;
  protected readonly throttleCode = 'SlowDown';

  bucket(name: string): Map<string, FakeObject> {
    let bucket = this.buckets.get(name);
    if (!bucket) this.buckets.set(name, (bucket = new Map()));
    return bucket;
  }

  /** Puts an object in place as if written earlier by anyone. */
  seed(bucket: string, key: string, body: string, metadata: Record<string, string> = {}): void {
    this.bucket(bucket).set(key, { body: Buffer.from(body), metadata, contentType: 'application/octet-stream' });
  }

  object(uri: string): FakeObject | undefined {
    const [, bucket, key] = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri) ?? [];
    return this.buckets.get(bucket ?? '')?.get(key ?? '');
  }

  protected route(request: IncomingMessage, url: URL) {
    const [bucket = '', ...rest] = url.pathname.slice(1).split('/');
    const key = rest.map(decodeURIComponent).join('/');
    const method = request.method;
    const operation: S3Operation | undefined =
      key === ''
        ? method === 'HEAD'
          ? 'HeadBucket'
          : method === 'GET' && url.searchParams.get('list-type') === '2'
            ? 'ListObjectsV2'
            : undefined
        : method === 'HEAD'
          ? 'HeadObject'
          : method === 'GET'
            ? 'GetObject'
            : method === 'PUT'
              ? 'PutObject'
              : method === 'DELETE'
                ? 'DeleteObject'
                : undefined;
    return operation
      ? {
          operation,
          detail: { bucket: decodeURIComponent(bucket), key, prefix: url.searchParams.get('prefix') ?? undefined },
        }
      : undefined;
  }

  protected perform(
    operation: S3Operation,
    request: IncomingMessage,
    url: URL,
    body: Buffer,
    detail: Record<string, unknown>,
  ): Answer {
    const bucket = this.buckets.get(detail.bucket as string);
    if (!bucket) return this.error(404, 'NoSuchBucket', 'The specified bucket does not exist', request);
    const key = detail.key as string;
    switch (operation) {
      case 'HeadBucket':
        return { status: 200 };
      case 'ListObjectsV2':
        return this.list(bucket, detail.bucket as string, url.searchParams);
      case 'HeadObject':
      case 'GetObject': {
        const object = bucket.get(key);
        if (!object) return this.error(404, 'NoSuchKey', 'The specified key does not exist.', request);
        const headers: Record<string, string> = {
          'content-type': object.contentType,
          'content-length': String(object.body.length),
          etag: `"${createHash('md5').update(object.body).digest('hex')}"`,
          ...Object.fromEntries(Object.entries(object.metadata).map(([name, value]) => [`x-amz-meta-${name}`, value])),
        };
        if (request.headers['x-amz-checksum-mode'] === 'ENABLED' && object.checksumSha256)
          headers['x-amz-checksum-sha256'] = object.checksumSha256;
        return operation === 'HeadObject' ? { status: 200, headers } : { status: 200, headers, body: object.body };
      }
      case 'PutObject': {
        const sent = request.headers['x-amz-checksum-sha256'] as string | undefined;
        const actual = createHash('sha256').update(body).digest('base64');
        if (sent !== undefined && sent !== actual)
          return this.error(
            400,
            'BadDigest',
            'The SHA256 you specified did not match the calculated checksum.',
            request,
          );
        const metadata = Object.fromEntries(
          Object.entries(request.headers)
            .filter(([name]) => name.startsWith('x-amz-meta-'))
            .map(([name, value]) => [name.slice('x-amz-meta-'.length), String(value)]),
        );
        bucket.set(key, {
          body,
          metadata,
          contentType: String(request.headers['content-type'] ?? 'binary/octet-stream'),
          ...(sent ? { checksumSha256: sent } : {}),
        });
        return {
          status: 200,
          headers: {
            etag: `"${createHash('md5').update(body).digest('hex')}"`,
            ...(sent ? { 'x-amz-checksum-sha256': sent } : {}),
          },
        };
      }
      case 'DeleteObject':
        bucket.delete(key);
        return { status: 204 };
    }
  }

  private list(bucket: Map<string, FakeObject>, name: string, query: URLSearchParams): Answer {
    const prefix = query.get('prefix') ?? '';
    const keys = [...bucket.keys()].filter((key) => key.startsWith(prefix)).sort();
    const start = Number(query.get('continuation-token') ?? '0');
    const size = Math.min(this.pageSize, Number(query.get('max-keys') ?? 1000));
    const page = keys.slice(start, start + size);
    const next = start + size < keys.length ? String(start + size) : undefined;
    const contents = page
      .map(
        (key) =>
          `<Contents><Key>${xmlText(key)}</Key><Size>${bucket.get(key)!.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
      )
      .join('');
    const xml =
      `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xmlText(name)}</Name>` +
      `<Prefix>${xmlText(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${size}</MaxKeys><IsTruncated>${next !== undefined}</IsTruncated>` +
      `${contents}${next !== undefined ? `<NextContinuationToken>${next}</NextContinuationToken>` : ''}</ListBucketResult>`;
    return { status: 200, headers: { 'content-type': 'application/xml' }, body: xml };
  }

  protected error(status: number, code: string, message: string, request: IncomingMessage): Answer {
    // HEAD answers carry no body: the SDK names the error after the status (NotFound, Forbidden, ...).
    if (request.method === 'HEAD') return { status };
    return {
      status,
      headers: { 'content-type': 'application/xml' },
      body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${xmlText(message)}</Message><RequestId>fake</RequestId></Error>`,
    };
  }
}
