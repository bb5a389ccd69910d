import { EnvironmentFileError, type Problem, type RenderResult } from '@emr-eks-gitops/charts';
import type { Finding } from '@emr-eks-gitops/core';
import { CliError } from './io.js';
import { loadEnvironments, renderAll, type Project } from './project.js';
import { renderWarnings, validateRendered, type ValidationOptions } from './validation-report.js';
import { assertTenantRemovalsSafe } from './tenant-removal.js';
import { promotionOrderReport } from './promotion-chain.js';

// One environment through render's steps on its own, as a worker thread runs it (see parallel-render.ts).

export interface RenderSelection extends ValidationOptions {
  /** Environments to render; all when empty (only then are stale folders known). */
  readonly env: readonly string[];
}

/** What `render` writes of one environment. */
export type RenderedFiles = Pick<RenderResult, 'environment' | 'files'>;

/** One environment rendered and validated. */
export interface EnvironmentRendered {
  readonly rendered: RenderedFiles;
  readonly warnings: readonly Problem[];
  readonly findings: readonly Finding[];
}

/** The steps of renderValidated, in order: an environment file's problems are reported for the first that has any. */
export const STEPS = ['load', 'render', 'removal', 'validate'] as const;

/** What renderValidated's steps give for one environment alone: plain data, so that a worker thread can send it. */
export type EnvironmentOutcome =
  | EnvironmentRendered
  | { readonly refused: (typeof STEPS)[number]; readonly problems: readonly Problem[] }
  | { readonly usage: string; readonly exitCode: number };

/** Loads, renders, checks the tenant removals of, and validates one environment. */
export function prepareEnvironment(project: Project, name: string, selection: RenderSelection): EnvironmentOutcome {
  let step: (typeof STEPS)[number] = 'load';
  try {
    const environments = loadEnvironments(project, [name]);
    step = 'render';
    // Refused releases are reported with the render's problems, hotfixes let through before its warnings.
    const promotion = promotionOrderReport(project, environments);
    const results = renderAll(environments, promotion.errors);
    step = 'removal';
    // A tenant dropped before it was retired is a mistake in the environment file (exit 2), whether writing or checking.
    assertTenantRemovalsSafe(project, environments, results);
    step = 'validate';
    const [result] = results;
    return {
      rendered: { environment: result!.environment, files: result!.files },
      warnings: [...promotion.warnings, ...renderWarnings(environments, results)],
      findings: validateRendered(project, environments, results, selection),
    };
  } catch (error) {
    if (error instanceof EnvironmentFileError) return { refused: step, problems: error.problems };
    if (error instanceof CliError) return { usage: error.message, exitCode: error.exitCode };
    throw error;
  }
}
