import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { requireThat } from '../primitives/errors.js';
import type { PolicyRule } from '../primitives/rbac.js';
import { assertDnsLabel, assertDnsSubdomain } from '../primitives/names.js';
import { NAMESPACE_NAME_LABEL } from '../primitives/labels.js';
import { CLIENT_MODE_DRIVER_LABEL } from './prometheus-targets.js';
import {
  JUPYTERHUB_HUB_API_PORT,
  JUPYTERHUB_HUB_SERVICE_ACCOUNT,
  JUPYTERHUB_NAMESPACE,
  JUPYTERHUB_SPAWNER_ROLE_NAME,
  NOTEBOOK_SERVER_LABEL,
  NOTEBOOK_SERVER_PORT,
  NOTEBOOK_SPARK_PORTS,
} from './jupyterhub.js';

/**
 * What KubeSpawner needs in a tenant namespace to run a user's server there (KubeSpawner 7, z2jh 4.x): create, watch
 * and delete the server's pod and its home PVC, and read the pod events it shows while a server starts. No services
 * and no secrets (those are for internal SSL and `services_enabled`, both off), nothing cluster-wide.
 */
export function jupyterHubSpawnerRoleRules(): PolicyRule[] {
  return [
    { apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete', 'get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['create', 'delete', 'get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['events'], verbs: ['get', 'list', 'watch'] },
  ];
}

export interface JupyterHubSpawnerRbacProps {
  /** Tenant namespace the hub spawns notebook servers into. */
  readonly namespace: string;
  /** Namespace of the hub. @default jupyterhub */
  readonly hubNamespace?: string;
  /** The hub's ServiceAccount. @default hub */
  readonly hubServiceAccount?: string;
}

/** The `jupyterhub-spawner` Role in a tenant namespace and its RoleBinding to the hub's ServiceAccount. */
export class JupyterHubSpawnerRbac extends Construct {
  constructor(scope: Construct, id: string, props: JupyterHubSpawnerRbacProps) {
    super(scope, id);
    const hubNamespace = props.hubNamespace ?? JUPYTERHUB_NAMESPACE;
    const account = props.hubServiceAccount ?? JUPYTERHUB_HUB_SERVICE_ACCOUNT;
    assertDnsLabel(props.namespace, 'namespace', 'JupyterHubSpawnerRbac');
    assertDnsLabel(hubNamespace, 'hubNamespace', 'JupyterHubSpawnerRbac');
    assertDnsSubdomain(account, 'hubServiceAccount', 'JupyterHubSpawnerRbac');
    new k8s.KubeRole(this, 'Role', {
      metadata: { name: JUPYTERHUB_SPAWNER_ROLE_NAME, namespace: props.namespace },
      rules: jupyterHubSpawnerRoleRules().map((rule) => ({
        apiGroups: [...rule.apiGroups],
        resources: [...rule.resources],
        verbs: [...rule.verbs],
      })),
    });
    new k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata: { name: JUPYTERHUB_SPAWNER_ROLE_NAME, namespace: props.namespace },
      subjects: [{ kind: 'ServiceAccount', name: account, namespace: hubNamespace }],
      roleRef: { kind: 'Role', name: JUPYTERHUB_SPAWNER_ROLE_NAME, apiGroup: 'rbac.authorization.k8s.io' },
    });
  }
}

export interface JupyterHubNotebookNetworkPoliciesProps {
  /** Tenant namespace the notebook servers run in. */
  readonly namespace: string;
  /** Namespace of the hub and the proxy. @default jupyterhub */
  readonly hubNamespace?: string;
  /**
   * Namespace of the Prometheus that scrapes the servers' Spark metrics (they are the drivers of their sessions, and
   * carry CLIENT_MODE_DRIVER_LABEL): admitted to their `spark-ui` port. @default none: not scraped
   */
  readonly monitoringNamespace?: string;
  /** The tenant's Spark History Server, which the servers may call on its UI port. @default none */
  readonly historyServer?: {
    readonly namespace: string;
    readonly podLabels: Readonly<Record<string, string>>;
    readonly port: number;
  };
}

/**
 * What a notebook server in a tenant namespace needs of the network, beside the tenant's own policies (which deny by
 * default; NetworkPolicies add up): the proxy and the hub reach the server's port, and the server reaches the hub's
 * API, also when the tenant's egress is restricted; Prometheus reaches its Spark UI port, and the server reaches its
 * tenant's History Server, when those are given. All select only notebook server pods (NOTEBOOK_SERVER_LABEL), not
 * the tenant's Spark jobs.
 */
export class JupyterHubNotebookNetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: JupyterHubNotebookNetworkPoliciesProps) {
    super(scope, id);
    const hubNamespace = props.hubNamespace ?? JUPYTERHUB_NAMESPACE;
    assertDnsLabel(props.namespace, 'namespace', 'JupyterHubNotebookNetworkPolicies');
    assertDnsLabel(hubNamespace, 'hubNamespace', 'JupyterHubNotebookNetworkPolicies');
    const podSelector = { matchLabels: { [NOTEBOOK_SERVER_LABEL.key]: NOTEBOOK_SERVER_LABEL.value } };
    const inNamespace = (name: string) => ({ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: name } } });
    const hub = [inNamespace(hubNamespace)];
    const port = (number: number) => [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(number) }];
    const policy = (
      name: string,
      spec: Omit<k8s.NetworkPolicySpec, 'podSelector'>,
      selector: k8s.LabelSelector = podSelector,
    ) =>
      new k8s.KubeNetworkPolicy(this, name, {
        metadata: { name, namespace: props.namespace },
        spec: { podSelector: selector, ...spec },
      });
    policy('allow-jupyterhub-to-notebook', {
      policyTypes: ['Ingress'],
      ingress: [{ from: hub, ports: port(NOTEBOOK_SERVER_PORT) }],
    });
    policy('allow-notebook-to-hub', {
      policyTypes: ['Egress'],
      egress: [{ to: hub, ports: port(JUPYTERHUB_HUB_API_PORT) }],
    });
    if (props.monitoringNamespace !== undefined) {
      assertDnsLabel(props.monitoringNamespace, 'monitoringNamespace', 'JupyterHubNotebookNetworkPolicies');
      // The tenant's allow-monitoring-scrape admits only pods Spark labelled; a notebook server is a driver Spark did not create.
      policy(
        'allow-monitoring-to-notebook-driver',
        {
          policyTypes: ['Ingress'],
          ingress: [{ from: [inNamespace(props.monitoringNamespace)], ports: port(NOTEBOOK_SPARK_PORTS.ui) }],
        },
        { matchLabels: { [CLIENT_MODE_DRIVER_LABEL.key]: CLIENT_MODE_DRIVER_LABEL.value } },
      );
    }
    const history = props.historyServer;
    if (history !== undefined) {
      assertDnsLabel(history.namespace, 'historyServer.namespace', 'JupyterHubNotebookNetworkPolicies');
      requireThat(
        Object.keys(history.podLabels).length > 0,
        'historyServer.podLabels',
        "must name the server's pods: an empty selector would allow every pod of its namespace",
        'JupyterHubNotebookNetworkPolicies',
      );
      policy('allow-notebook-to-history-server', {
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ ...inNamespace(history.namespace), podSelector: { matchLabels: { ...history.podLabels } } }],
            ports: port(history.port),
          },
        ],
      });
    }
  }
}
