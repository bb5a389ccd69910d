import {
  formatProblem,
  promotionOrder,
  type LoadedEnvironment,
  type Problem,
  type PromotionOrderReport,
} from '@emr-eks-gitops/charts';
import type { CliIO } from './io.js';
import { environmentNames, loadEnvironments, type Project } from './project.js';

/**
 * Rule promotion-order over the given environments, each against the one its `promotion.from` names (loaded from
 * the project when it is not among them): the refusals (every release label or image an environment runs ahead of
 * the one before it, for the caller to report with the other problems of the files: exit 2, nothing written) and the
 * hotfixes let through, as warnings.
 */
export function promotionOrderReport(
  project: Project,
  environments: readonly LoadedEnvironment[],
  edited: readonly LoadedEnvironment[] = [],
): PromotionOrderReport {
  const names = environmentNames(project);
  // `edited`: environments as a command would write them, in place of their files.
  const loaded = new Map([...edited, ...environments].map((environment) => [environment.config.name, environment]));
  const load = (name: string): LoadedEnvironment => {
    let environment = loaded.get(name);
    if (!environment) {
      environment = loadEnvironments(project, [name])[0]!;
      loaded.set(name, environment);
    }
    return environment;
  };
  const chainOf = (name: string) => (names.includes(name) ? load(name).config.promotion?.from : undefined);
  const report: { errors: Problem[]; warnings: Problem[] } = { errors: [], warnings: [] };
  for (const environment of environments) {
    const from = environment.config.promotion?.from;
    const previous =
      from !== undefined && names.includes(from) && from !== environment.config.name ? load(from).config : undefined;
    const found = promotionOrder(environment, previous, names, chainOf);
    report.errors.push(...found.errors);
    report.warnings.push(...found.warnings);
  }
  return report;
}

/** promotionOrderReport's refusals; its hotfix warnings are printed on stderr. */
export function promotionOrderProblems(
  project: Project,
  environments: readonly LoadedEnvironment[],
  io: CliIO,
  edited: readonly LoadedEnvironment[] = [],
): Problem[] {
  const { errors, warnings } = promotionOrderReport(project, environments, edited);
  for (const warning of warnings) io.err(`warning: ${formatProblem(warning)}\n`);
  return errors;
}
