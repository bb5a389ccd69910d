import { expect } from 'vitest';
import type { RelabelConfig, ScrapeConfig } from '@emr-eks-gitops/core';

export type Labels = Record<string, string>;

// ---- What Prometheus' kubernetes_sd and relabeling do, enough to evaluate the rendered scrape configs. ----

/** A pod as Spark on Kubernetes (EMR) creates it: the pod template's metadata plus Spark's own labels and ports. */
export interface RunningPod {
  namespace: string;
  name: string;
  ip: string;
  phase: string;
  labels: Labels;
  annotations: Labels;
  ports: { name: string; containerPort: number }[];
}
const sanitize = (name: string) => name.replace(/[^a-zA-Z0-9_]/g, '_');

/** kubernetes_sd `role: pod`: one target per declared container port, in the listed namespaces only. */
export function podTargets(job: ScrapeConfig, pods: readonly RunningPod[]): Labels[] {
  const sd = job.kubernetes_sd_configs[0]!;
  expect(sd.role).toBe('pod');
  return pods
    .filter((pod) => sd.namespaces.names.includes(pod.namespace))
    .flatMap((pod) =>
      pod.ports.map((port) => ({
        __address__: `${pod.ip}:${port.containerPort}`,
        __metrics_path__: job.metrics_path,
        __meta_kubernetes_namespace: pod.namespace,
        __meta_kubernetes_pod_name: pod.name,
        __meta_kubernetes_pod_phase: pod.phase,
        __meta_kubernetes_pod_container_port_name: port.name,
        __meta_kubernetes_pod_container_port_number: String(port.containerPort),
        ...Object.fromEntries(
          Object.entries(pod.labels).map(([k, v]) => [`__meta_kubernetes_pod_label_${sanitize(k)}`, v]),
        ),
        ...Object.fromEntries(
          Object.entries(pod.annotations).map(([k, v]) => [`__meta_kubernetes_pod_annotation_${sanitize(k)}`, v]),
        ),
      })),
    );
}

/** Prometheus relabeling (keep, drop, replace; anchored regex, `;` separator, `$1` default), then the `__` labels go. */
export function relabel(target: Labels, rules: readonly RelabelConfig[]): Labels | undefined {
  let labels = { ...target };
  for (const rule of rules) {
    const value = (rule.source_labels ?? []).map((name) => labels[name] ?? '').join(';');
    const match = new RegExp(`^(?:${rule.regex ?? '(.*)'})$`).exec(value);
    if (rule.action === 'keep' && !match) return undefined;
    if (rule.action === 'drop' && match) return undefined;
    if (rule.action === 'replace' && match) {
      const result = (rule.replacement ?? '$1').replace(/\$(\d+)/g, (_, group) => match[Number(group)] ?? '');
      if (result === '') delete labels[rule.target_label!];
      else labels = { ...labels, [rule.target_label!]: result };
    }
  }
  return labels;
}
/** The series labels of each scraped target, and where it is scraped. */
export function scrape(job: ScrapeConfig, pods: readonly RunningPod[]) {
  return podTargets(job, pods).flatMap((target) => {
    const labels = relabel(target, job.relabel_configs);
    if (!labels) return [];
    const series = Object.fromEntries(Object.entries(labels).filter(([k]) => !k.startsWith('__')));
    return [
      {
        address: labels.__address__!,
        path: labels.__metrics_path__!,
        series: { ...series, job: job.job_name, instance: labels.__address__! },
      },
    ];
  });
}

/** A NetworkPolicy label selector (matchLabels and In/NotIn/Exists/DoesNotExist) against labels. */
export function selects(selector: any, labels: Labels): boolean {
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpressions = (selector.matchExpressions ?? []).every((e: any) =>
    e.operator === 'In'
      ? e.values.includes(labels[e.key])
      : e.operator === 'NotIn'
        ? !e.values.includes(labels[e.key])
        : e.operator === 'Exists'
          ? e.key in labels
          : !(e.key in labels),
  );
  return byLabels && byExpressions;
}
