import { ApiObject, Chart, DependencyGraph } from 'cdk8s';

/**
 * The Kubernetes JSON of every chart of one app, each chart's objects in the order `chart.toJson()` gives them.
 *
 * `Chart.toJson()` (cdk8s 2.70, `App._synthChart`) first prepares the whole app: it infers dependencies across
 * every construct of the app and validates every construct, then orders and resolves the chart's own objects.
 * Called chart by chart, that app-wide preparation runs once per chart, so an environment with n tenants cost
 * O(n^2). Here it runs once, through the first chart's `toJson()`; the other charts only order and resolve their
 * own objects, as cdk8s's `chartToKube` does: the chart's dependency graph in topological order, keeping the
 * ApiObjects whose closest chart is this one. The app is not changed between charts, so the result is the same.
 */
export function synthesizeCharts(charts: readonly Chart[]): unknown[][] {
  const [first, ...rest] = charts;
  if (!first) return [];
  return [first.toJson(), ...rest.map(chartObjects)];
}

/** What `Chart.toJson()` returns once the app has been prepared. */
function chartObjects(chart: Chart): unknown[] {
  const constructs = chart.node.findAll();
  // Without dependencies, cdk8s's topological order is the construct tree's own (pre-order) order; the graph keys
  // its vertices by path in a plain object, which would put an integer-like path (a top-level chart "7") first.
  const ordered = constructs.some(
    (construct) => construct.node.dependencies.length > 0 || /^\d+$/.test(construct.node.path),
  )
    ? new DependencyGraph(chart.node).topology()
    : constructs;
  return ordered
    .filter((construct): construct is ApiObject => construct instanceof ApiObject && Chart.of(construct) === chart)
    .map((apiObject) => apiObject.toJson() as unknown);
}
