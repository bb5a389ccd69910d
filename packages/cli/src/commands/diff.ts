import { EXIT, type CliIO } from '../io.js';
import type { Project } from '../project.js';
import type { ValidationOptions } from '../validation-report.js';
import { filePatch, lineChanges } from '../output/drift-report.js';
import { planOutput, renderValidated, type OutputPlan } from '../render-plan.js';

export interface DiffOptions extends ValidationOptions {
  /** Environments to compare; all when empty (only then are stale folders reported). */
  readonly env: readonly string[];
  /** Also print each file's unified diff. */
  readonly unified: boolean;
  /** Print lines added and removed per file instead of the file list. */
  readonly stat: boolean;
}

/** One file `render` would write or remove, as `git diff --name-status` names it. */
export interface FileChange {
  readonly status: 'A' | 'M' | 'D';
  /** Path from the project root, e.g. `dist-manifests/dev/tenants/ml/resourcequota-tenant-quota.yaml`. */
  readonly label: string;
  readonly committed?: string;
  readonly rendered?: string;
}

const files = (count: number) => `${count} file${count === 1 ? '' : 's'}`;
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Every file the plan adds, changes or removes, sorted by path; a stale folder's files are removed. */
export function fileChanges(plan: OutputPlan): FileChange[] {
  const changes: FileChange[] = [];
  for (const { folder, rendered, committed, diff } of plan.environments) {
    for (const path of diff.added)
      changes.push({ status: 'A', label: `${folder}/${path}`, rendered: rendered.get(path) });
    for (const path of diff.changed)
      changes.push({
        status: 'M',
        label: `${folder}/${path}`,
        committed: committed.get(path),
        rendered: rendered.get(path),
      });
    for (const path of diff.removed)
      changes.push({ status: 'D', label: `${folder}/${path}`, committed: committed.get(path) });
  }
  for (const { folder, files } of plan.stale) {
    for (const [path, content] of files)
      changes.push({ status: 'D', label: path ? `${folder}/${path}` : folder, committed: content });
  }
  return changes.sort((a, b) => byCodeUnit(a.label, b.label));
}

/**
 * `emr-gitops diff`: what `render` would change in the output folder, file by file, rendered and validated in memory;
 * writes nothing. Exit 0 when nothing would change, 1 when something would (or the output breaks a rule).
 */
export async function diffCommand(project: Project, options: DiffOptions, io: CliIO): Promise<number> {
  const results = await renderValidated(project, options, io);
  if (!results) {
    io.err('the rendered output breaks the rules above: `render` would refuse it and write nothing.\n');
    return EXIT.failed;
  }
  const plan = planOutput(project, results, options.env.length === 0);
  const changes = fileChanges(plan);
  const counts = changes.map((change) => (options.stat ? lineChanges(change.committed, change.rendered) : undefined));

  if (options.stat) io.out(diffStat(changes, counts as { insertions: number; deletions: number }[]));
  else for (const { status, label } of changes) io.out(`${status} ${label}\n`);
  if (options.unified) {
    for (const change of changes) {
      io.out(
        `${filePatch(change.label, change.committed, change.rendered, {
          oldHeader: change.status === 'A' ? '(not committed)' : '(committed)',
          newHeader: change.status === 'D' ? '(removed by render)' : '(rendered)',
        })}\n`,
      );
    }
  }
  for (const environment of plan.environments) {
    if (environment.neverRendered)
      io.out(`${environment.folder}: never rendered; render creates it (${files(environment.rendered.size)})\n`);
  }
  for (const entry of plan.stale) {
    io.out(
      `${entry.folder}: stale (no environments/${entry.name}.yaml); render removes it (${files(entry.files.size)})\n`,
    );
  }
  io.out(`${summary(plan, changes, options.stat ? counts : undefined)}\n`);
  return changes.length > 0 ? EXIT.failed : EXIT.ok;
}

function summary(
  plan: OutputPlan,
  changes: readonly FileChange[],
  counts: readonly ({ insertions: number; deletions: number } | undefined)[] | undefined,
): string {
  if (changes.length === 0) {
    const total = plan.environments.reduce((sum, environment) => sum + environment.rendered.size, 0);
    return `no changes: ${plan.environments.map((environment) => environment.folder).join(', ')} match${plan.environments.length === 1 ? 'es' : ''} the environment files (${files(total)})`;
  }
  const of = (status: FileChange['status']) => changes.filter((change) => change.status === status).length;
  let text = `${files(changes.length)} would change: ${of('A')} added, ${of('M')} changed, ${of('D')} removed`;
  if (counts) {
    const insertions = counts.reduce((sum, count) => sum + (count?.insertions ?? 0), 0);
    const deletions = counts.reduce((sum, count) => sum + (count?.deletions ?? 0), 0);
    text += `; ${insertions} insertion${insertions === 1 ? '' : 's'}(+), ${deletions} deletion${deletions === 1 ? '' : 's'}(-)`;
  }
  return `${text}; run \`pnpm render\` to write them`;
}

const STAT_BAR_WIDTH = 40;

/** ` path | 12 ++++------` per file, as `git diff --stat` draws it (bars scaled to the largest change). */
function diffStat(
  changes: readonly FileChange[],
  counts: readonly { insertions: number; deletions: number }[],
): string {
  if (changes.length === 0) return '';
  const width = Math.max(...changes.map((change) => change.label.length));
  const totals = counts.map((count) => count.insertions + count.deletions);
  const digits = String(Math.max(...totals)).length;
  const largest = Math.max(...totals);
  const scale = largest > STAT_BAR_WIDTH ? STAT_BAR_WIDTH / largest : 1;
  return changes
    .map((change, index) => {
      const { insertions, deletions } = counts[index]!;
      const plus = insertions > 0 ? Math.max(1, Math.round(insertions * scale)) : 0;
      const minus = deletions > 0 ? Math.max(1, Math.round(deletions * scale)) : 0;
      return ` ${change.label.padEnd(width)} | ${String(totals[index]).padStart(digits)} ${'+'.repeat(plus)}${'-'.repeat(minus)}\n`;
    })
    .join('');
}
