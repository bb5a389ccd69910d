import type { ResolvedEnvironment, ResolvedTenant } from '../config/resolve.js';
import type { LoadedEnvironment } from './load.js';
import { configDiagnostic, placeDiagnostic, type Severity } from '@emr-eks-gitops/core';
import type { ConfigPath } from '../config/source-map.js';
import type { Problem } from '../config/problems.js';

// Rule promotion-order: an environment runs only what the environment before it in the promotion chain
// (`promotion.from`) rendered first: a release label or image may be the one there, or older (the environment is
// behind, which is how a chain waits), never newer or unknown there. `promotion: { hotfix: "<reason>" }` on a tenant
// says why it skips the chain: a warning instead of a refusal.

/** What the rule found: refusals, and the hotfixes it let through. */
export interface PromotionOrderReport {
  readonly errors: Problem[];
  readonly warnings: Problem[];
}

/** Spark settings that name a container image of the tenant's jobs. */
const IMAGE_PROPERTIES = [
  'spark.kubernetes.container.image',
  'spark.kubernetes.driver.container.image',
  'spark.kubernetes.executor.container.image',
];

/** A release label or image a tenant's jobs run, and where the tenant sets it. */
interface Pinned {
  readonly kind: 'release label' | 'image';
  readonly value: string;
  readonly path: ConfigPath;
}

/**
 * Checks `environment` against `previous`, the environment its `promotion.from` names (undefined when it names
 * none). `environments` are the names of the project's environments, for an unknown `from`; `chainOf` follows the
 * chain, to refuse a cycle.
 */
export function promotionOrder(
  environment: LoadedEnvironment,
  previous: ResolvedEnvironment | undefined,
  environments: readonly string[],
  chainOf: (name: string) => string | undefined,
): PromotionOrderReport {
  const report: PromotionOrderReport = { errors: [], warnings: [] };
  const config = environment.config;
  const from = config.promotion?.from;
  if (from === undefined) return report;
  const at = (path: ConfigPath, message: string, severity: Severity = 'error'): Problem =>
    placeDiagnostic(configDiagnostic('promotion-order', path, message, { severity }), environment.source.locate(path));
  if (!environments.includes(from)) {
    report.errors.push(
      at(
        ['promotion', 'from'],
        `no environment "${from}" (no environments/${from}.yaml) to promote from; environments: ${environments.join(', ')}`,
      ),
    );
    return report;
  }
  const cycle = chainCycle(config.name, chainOf);
  if (cycle) {
    report.errors.push(
      at(
        ['promotion', 'from'],
        `the promotion chain runs in a circle (${cycle.join(' -> ')}): one environment must come first, with no promotion.from`,
      ),
    );
    return report;
  }
  if (!previous) return report;
  config.tenants.forEach((tenant, index) => {
    if (tenant.retired) return;
    const counterpart = previous.tenants.filter((candidate) => candidate.name === tenant.name);
    const sources = counterpart.length > 0 ? counterpart : previous.tenants;
    for (const pinned of pinnedBy(tenant)) {
      const there = sources.flatMap((source) =>
        pinnedBy(source)
          .filter((other) => other.kind === pinned.kind)
          .map((other) => other.value),
      );
      if (there.some((other) => notOlder(other, pinned))) continue;
      const whose = counterpart.length > 0 ? `${tenant.name} in ${from}` : `${from} (it has no tenant ${tenant.name})`;
      const runs = there.length > 0 ? `runs ${[...new Set(there)].join(', ')}` : `runs no ${pinned.kind} of that kind`;
      const what = `${pinned.kind} ${pinned.value} was never rendered by ${from}, the environment before ${config.name} (promotion.from): ${whose} ${runs}`;
      const hotfix = tenant.promotion?.hotfix;
      if (hotfix) {
        report.warnings.push(
          at(['tenants', index, 'promotion', 'hotfix'], `${what}; let through as a hotfix: ${hotfix}`, 'warning'),
        );
      } else {
        report.errors.push(
          at(
            ['tenants', index, ...pinned.path],
            `${what}. Render it in ${from} first and promote it (emr-gitops promote --from ${from} --to ${config.name} --tenant ${tenant.name}), or, for a fix that cannot wait, say why on this tenant: promotion: { hotfix: "<ticket>: <reason>" }`,
          ),
        );
      }
    }
  });
  return report;
}

function pinnedBy(tenant: ResolvedTenant): Pinned[] {
  const pinned: Pinned[] = [{ kind: 'release label', value: tenant.releaseLabel, path: ['releaseLabel'] }];
  const code = tenant.spark?.customCode?.image;
  if (code) pinned.push({ kind: 'image', value: code, path: ['spark', 'customCode', 'image'] });
  for (const key of IMAGE_PROPERTIES) {
    const image = tenant.spark?.extraProperties?.[key];
    if (typeof image === 'string')
      pinned.push({ kind: 'image', value: image, path: ['spark', 'extraProperties', key] });
  }
  return pinned;
}

/** True when `other` (rendered before) is `pinned` or newer: the same release line or image repository, a later or equal version. */
function notOlder(other: string, pinned: Pinned): boolean {
  if (other === pinned.value) return true;
  if (pinned.kind === 'release label') {
    const a = releaseParts(other);
    const b = releaseParts(pinned.value);
    return a !== undefined && b !== undefined && a.variant === b.variant && naturalCompare(a.order, b.order) >= 0;
  }
  const a = imageParts(other);
  const b = imageParts(pinned.value);
  return a !== undefined && b !== undefined && a.repository === b.repository && naturalCompare(a.tag, b.tag) >= 0;
}

/** `emr-7.5.0-latest` -> order `7.5.0-99999999` (latest is the newest build of its release), variant `` or `java17`. */
function releaseParts(label: string): { order: string; variant: string } | undefined {
  const match = /^emr-([0-9]+\.[0-9]+\.[0-9]+)(?:-(java[0-9]+))?-(latest|[0-9]{8})$/.exec(label);
  if (!match) return undefined;
  return { order: `${match[1]}-${match[3] === 'latest' ? '99999999' : match[3]}`, variant: match[2] ?? '' };
}

/**
 * An image's repository without its registry (each environment's account has its own ECR) and its tag; an image
 * pinned by digest compares only as itself.
 */
function imageParts(image: string): { repository: string; tag: string } | undefined {
  if (image.includes('@')) return undefined;
  const slash = image.indexOf('/');
  const first = slash === -1 ? '' : image.slice(0, slash);
  const path = /[.:]/.test(first) || first === 'localhost' ? image.slice(slash + 1) : image;
  const colon = path.lastIndexOf(':');
  return colon === -1
    ? { repository: path, tag: 'latest' }
    : { repository: path.slice(0, colon), tag: path.slice(colon + 1) };
}

/** Compares version-like strings, runs of digits as numbers: `2.9.0` < `2.17.0`. */
function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** The environments of a circular chain through `start`, or undefined. */
function chainCycle(start: string, chainOf: (name: string) => string | undefined): string[] | undefined {
  const seen = [start];
  for (let next = chainOf(start); next !== undefined; next = chainOf(next)) {
    if (next === start) return [...seen, next];
    if (seen.includes(next)) return undefined; // a circle further up the chain: reported for its own environments
    seen.push(next);
  }
  return undefined;
}
