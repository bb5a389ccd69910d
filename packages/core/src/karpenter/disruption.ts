import { requireThat } from '../primitives/errors.js';
import { requireGoDuration } from '../primitives/go-duration.js';

export type ConsolidationPolicy = 'WhenEmpty' | 'WhenEmptyOrUnderutilized';
export const CONSOLIDATION_POLICIES: readonly ConsolidationPolicy[] = ['WhenEmpty', 'WhenEmptyOrUnderutilized'];

export type DisruptionReason = 'Underutilized' | 'Empty' | 'Drifted';
const DISRUPTION_REASONS: readonly DisruptionReason[] = ['Underutilized', 'Empty', 'Drifted'];

/** A Karpenter disruption budget: at most `nodes` nodes of the pool disrupted at once, optionally only in a window. */
export interface DisruptionBudget {
  /** A node count (`"0"`, `"3"`) or a percentage of the pool from `"0%"` to `"100%"`. */
  readonly nodes: string;
  /** Cron schedule (5 fields, UTC, or `@daily` etc.) at which the budget starts; requires `duration`. */
  readonly schedule?: string;
  /** How long the budget stays active after each schedule hit, in hours and minutes (`10h`, `1h30m`). */
  readonly duration?: string;
  /** Disruption reasons the budget applies to. @default all reasons */
  readonly reasons?: readonly DisruptionReason[];
}

/** A window (cron start + duration) in which a pool allows no voluntary disruption at all. */
export interface NoDisruptionWindow {
  /** Cron schedule in UTC (Karpenter has no time zones), e.g. `0 8 * * 1-5`. */
  readonly schedule: string;
  /** Hours and minutes, e.g. `10h`. */
  readonly duration: string;
}

const CRON_MACRO = /^@(annually|yearly|monthly|weekly|daily|midnight|hourly)$/;
// One cron field: numbers, names (mon, jan), `*`, `?`, ranges, lists and steps.
const CRON_FIELD = /^(\*|\?|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/[0-9]+)?(,(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/[0-9]+)?)*$/;

/** Validates a cron schedule as Karpenter budgets take it. */
export function requireCronSchedule(schedule: string, field: string): void {
  const fields = schedule.trim().split(/\s+/);
  requireThat(
    CRON_MACRO.test(schedule) || (fields.length === 5 && fields.every((f) => CRON_FIELD.test(f))),
    field,
    `"${schedule}" is not a cron schedule: five fields (minute hour day-of-month month day-of-week) or @daily, @weekly, ...`,
  );
}

/** Validates one budget; `field` is its path, e.g. `budgets[1]`. */
export function requireDisruptionBudget(budget: DisruptionBudget, field: string): void {
  requireThat(
    /^((100|[0-9]{1,2})%|[0-9]+)$/.test(budget.nodes),
    `${field}.nodes`,
    `"${budget.nodes}" must be a whole number of nodes ("3") or a percentage from "0%" to "100%"`,
  );
  requireThat(
    (budget.schedule === undefined) === (budget.duration === undefined),
    field,
    'schedule and duration must be given together (a budget without both is always active)',
  );
  if (budget.schedule !== undefined) requireCronSchedule(budget.schedule, `${field}.schedule`);
  if (budget.duration !== undefined) requireGoDuration(budget.duration, `${field}.duration`, { allowSeconds: false });
  for (const [i, reason] of (budget.reasons ?? []).entries()) {
    requireThat(
      DISRUPTION_REASONS.includes(reason),
      `${field}.reasons[${i}]`,
      `"${reason}" must be one of ${DISRUPTION_REASONS.join(', ')}`,
    );
  }
}

/** Budgets that block all voluntary disruption during each window. */
export function noDisruptionBudgets(windows: readonly NoDisruptionWindow[]): DisruptionBudget[] {
  return windows.map((window) => ({ nodes: '0', schedule: window.schedule, duration: window.duration }));
}
