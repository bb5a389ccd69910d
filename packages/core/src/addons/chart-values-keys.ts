/**
 * The values keys this project writes that a chart's default values (vendored beside its schema, `schemas/helm/`) do not
 * list, each with where the chart reads it at the pinned version. Below such a key anything goes (a free-form map the
 * chart passes through, or a Kubernetes object it writes out with `toYaml`). Every other key written must be one of the
 * defaults': a key no template reads is dropped without a word, so a misspelt or moved key would leave a setting
 * unapplied while the schema (loose for the prometheus chart) still passes.
 */
export const CHART_VALUES_KEYS_BEYOND_DEFAULTS = {
  jupyterhub: {
    source: 'jupyterhub/zero-to-jupyterhub-k8s 4.4.0',
    keys: {
      'hub.config':
        'jupyterhub/values.schema.yaml hub.config: traitlets configuration of any class, passed to the hub (files/hub/jupyterhub_config.py)',
      'singleuser.extraLabels': 'files/hub/jupyterhub_config.py: KubeSpawner.extra_labels, labels of every user pod',
    },
  },
  prometheus: {
    source: 'prometheus-community/helm-charts prometheus-29.27.0, charts/prometheus',
    keys: {
      scrapeConfigs:
        'values.yaml: "Further scrapeConfigs can be added as new keys, these are then enabled by default" (templates/cm.yaml ranges over them)',
      'server.persistentVolume.storageClass':
        "templates/deploy.yaml: storageClassName of the server's volume claim template",
      'server.securityContext': "templates/deploy.yaml: toYaml into the server pod's securityContext",
      'server.service.nodePort': 'templates/service.yaml: nodePort of the server Service with type NodePort',
      'kube-state-metrics.metricLabelsAllowlist':
        'sub-chart kube-state-metrics templates/deployment.yaml: --metric-labels-allowlist, joined with ","',
      'kube-state-metrics.affinity':
        "sub-chart kube-state-metrics templates/deployment.yaml: toYaml into the pod's affinity",
      'kube-state-metrics.tolerations':
        'sub-chart kube-state-metrics templates/deployment.yaml: tolerations of the pod',
    },
  },
} as const;

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The dotted paths of `values` that are neither in `defaults` nor at or below one of `open`. A map that is empty in
 * the defaults (`extraPodSpec: {}`) takes any key; a key whose default is not a map takes any value.
 */
export function valuesKeysBeyondDefaults(
  values: Record<string, unknown>,
  defaults: Record<string, unknown>,
  open: readonly string[],
): string[] {
  const unknown: string[] = [];
  const walk = (node: Record<string, unknown>, known: Record<string, unknown>, path: readonly string[]) => {
    for (const [key, value] of Object.entries(node)) {
      const at = [...path, key];
      const dotted = at.join('.');
      if (open.includes(dotted)) continue;
      if (!Object.hasOwn(known, key)) {
        unknown.push(dotted);
        continue;
      }
      const fallback = known[key];
      if (isMap(value) && isMap(fallback) && Object.keys(fallback).length > 0) walk(value, fallback, at);
    }
  };
  walk(values, defaults, []);
  return unknown;
}
