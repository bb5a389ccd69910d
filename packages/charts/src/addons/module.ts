import type { App } from 'cdk8s';
import type { Static, TSchema } from '@sinclair/typebox';
import type { HelmDelivery, PodPlacement, RuleId, SparkCapacity } from '@emr-eks-gitops/core';
import type { ResolvedEnvironment, ResolvedTenant } from '../config/resolve.js';
import type { ConfigRules } from '../config/problems.js';
import type { ManifestChart } from '../charts/manifest-chart.js';
import type { RenderIssue } from '../config/render-error.js';
import type { AddonSummary } from '../charts/summaries.js';

// What one add-on is to the rest of the project: one folder under addons/ exports one AddonModule, and the list in
// addons/index.ts is the only place that names them all. The core builders stay the library's constructs; a module is
// the glue from the environment file to them.

/** A tenant as the add-ons see it once the tenants' charts are built. */
export interface AddonTenant {
  readonly tenant: ResolvedTenant;
  /** The tenant's rendered spark-defaults; undefined when its chart could not be built. */
  readonly sparkProperties: Readonly<Record<string, string>> | undefined;
  /** The tenant's cost allocation labels. */
  readonly costLabels?: Readonly<Record<string, string>>;
}

/** What an add-on's charts are built from: the environment and what the platform and tenant charts decided. */
export interface AddonBuildContext {
  readonly app: App;
  readonly config: ResolvedEnvironment;
  /** Where a refused value or a broken run-time rule goes, located by config path; the render fails with them. */
  readonly issues: RenderIssue[];
  /** The capacity classes and their pools (the GPU plugin's placement, YuniKorn's ceiling of guarantees). */
  readonly classes: ReadonlyMap<string, SparkCapacity>;
  readonly tenants: readonly AddonTenant[];
  /** Where Spark drivers run (notebook servers are drivers). */
  readonly driverPlacement: PodPlacement;
  /** How Helm releases reach the cluster; undefined without a `delivery:` section. */
  readonly helmDelivery: HelmDelivery | undefined;
}

/** One row of the README's add-on table. Cells are Markdown. */
export type AddonReadmeRow = AddonSummary['rows'][number];

/**
 * The add-on's part of the environment README. Its chart reports what it decided as its `addonSummary` (the table rows
 * and the notes, built from the values it renders from); the notes' text is in the templates declared here, which live
 * in the add-on's folder (`addons/<name>/*.md.hbs`).
 */
export interface AddonReadme {
  /** Template paths below `src/`, without `.md.hbs`: every template of the add-on's folder. */
  readonly templates: readonly string[];
}

/** What a Helm-release add-on without a `delivery:` section is told, unless its module says more. */
export const HELM_RELEASE_NEEDS_ENGINE = 'is delivered as a Helm release by Flux or Argo CD: add a delivery section';

/**
 * How the add-on reaches the cluster. A Helm release needs a delivery engine (nothing else installs charts): without a
 * `delivery:` section the config is refused with `needsEngine` (rule `rule`) at `addons.<key>`. A release that can fall back to its
 * values as an artifact (for `helm install -f`), and plain objects, need no engine.
 */
export type AddonDelivery =
  | { readonly kind: 'helm-release'; readonly needsEngine: string; readonly rule: RuleId }
  | { readonly kind: 'helm-release-or-values' }
  | { readonly kind: 'objects' };

/**
 * One add-on: the `addons.<key>` section of the environment file and everything that follows from it. `charts` and
 * `images` are called only when the section is present; `rules` always, since some rules are about the
 * section's absence (a tenant queue without YuniKorn).
 */
// Methods, not function properties: a module of one add-on's config is then one of the list's (parameters bivariant).
export interface AddonModule<
  Key extends string = string,
  Schema extends TSchema = TSchema,
  Resolved = unknown,
  Defaults extends Readonly<Record<string, unknown>> = Readonly<Record<string, unknown>>,
> {
  /** The key under `addons:`. */
  readonly key: Key;
  /** The section's schema: part of environments/schema.json and of the TypeScript config type. */
  readonly schema: Schema;
  readonly delivery: AddonDelivery;
  /** The defaults of the section's fields, read from its schema (part of ENVIRONMENT_DEFAULTS). */
  readonly defaults: Defaults;
  /** The section with its defaults applied: what charts, README and images read (part of ResolvedEnvironment). */
  resolve(addon: Static<Schema>): Resolved;
  /**
   * The add-on's cross-field config rules, a topic of the rule registry (environment/semantics.ts). They run even when
   * the schema found problems, so they read the file defensively: a field of the wrong shape is skipped.
   */
  readonly rules?: ConfigRules;
  /** The add-on's charts (its objects, and its Helm release through `context.helmDelivery`). */
  charts(context: AddonBuildContext, addon: Resolved): ManifestChart[];
  readonly readme: AddonReadme;
  /** The container images the add-on's rendered objects name, as `emr-gitops images` lists them. */
  images(config: ResolvedEnvironment, addon: Resolved): readonly string[];
}

/** `repository:tag`, as a chart's values name an image. */
export function imageReference(image: { readonly repository: string; readonly tag: string }): string {
  return `${image.repository}:${image.tag}`;
}

export function isObject(value: unknown): value is Record<string, never> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
