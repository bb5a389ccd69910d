import { offKarpenterNodeAffinity } from '../karpenter/controller-values.js';
import { addonNodePlacement, type AutoModeAddonPlacement } from '../karpenter/auto-mode.js';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { requireThat } from '../primitives/errors.js';
import { assertDnsLabel } from '../primitives/names.js';
import { parseQuantity, quantityString, type QuantityInput } from '../primitives/quantity.js';
import { requireIamRoleArn } from '../primitives/aws-arn.js';

/** The Spark History Server's UI port (`spark.history.ui.port`). */
export const SPARK_HISTORY_UI_PORT = 18080;

/** Defaults of one history server: CPU and memory requests (the memory limit is the request). */
export const SPARK_HISTORY_SERVER_DEFAULTS = { cpu: '500m', memory: '2Gi', heapFraction: 0.75 } as const;

/**
 * How the server reads `s3://` on an EMR image: through EMRFS, as EMR's own Spark does. `spark-class` starts the daemon
 * with Spark's jars only (plus SPARK_DAEMON_CLASSPATH: Spark "Monitoring and Instrumentation", History Server
 * environment variables); the EMRFS and AWS SDK jars are on the image's driver/executor extraClassPath, not there.
 * Source: aws/aws-emr-containers-best-practices content/scalability/docs/load-test-for-spark-operator.md (an EMR on
 * EKS image run outside StartJobRun): its spark.driver.extraClassPath (the EMRFS part below) and hadoopConf
 * fs.s3.impl, fs.AbstractFileSystem.s3.impl, fs.s3.customAWSCredentialsProvider (IRSA's web identity token);
 * aws-samples/aws-emr-utilities self-managed-spark-history-server-emr links the same EMRFS and SDK jars into Spark's.
 * `/usr/share/aws/aws-java-sdk-v2/*` holds the SDK v2 bundle of EMR 7 images; a missing directory adds nothing.
 */
export const SPARK_HISTORY_EMRFS = {
  classpath: [
    '/usr/share/aws/emr/emrfs/conf',
    '/usr/share/aws/emr/emrfs/lib/*',
    '/usr/share/aws/emr/emrfs/auxlib/*',
    '/usr/share/aws/aws-java-sdk/*',
    '/usr/share/aws/aws-java-sdk-v2/*',
    '/usr/lib/hadoop/hadoop-aws.jar',
  ],
  hadoopConf: {
    'fs.s3.impl': 'com.amazon.ws.emr.hadoop.fs.EmrFileSystem',
    'fs.AbstractFileSystem.s3.impl': 'org.apache.hadoop.fs.s3.EMRFSDelegate',
    'fs.s3.customAWSCredentialsProvider': 'com.amazonaws.auth.WebIdentityTokenCredentialsProvider',
    // EMRFS's local buffer (the load test's /mnt/s3 is a volume of EMR's pods); the server only reads.
    'fs.s3.buffer.dir': '/tmp/s3',
  },
} as const;

/** The labels that select one history server's pods (its Deployment's and Service's selector). */
export function sparkHistoryServerSelector(name: string): Readonly<Record<string, string>> {
  return { 'app.kubernetes.io/name': 'spark-history-server', 'app.kubernetes.io/instance': name };
}

/** One history server: a name and the event-log prefix it reads. */
export interface SparkHistoryServerInstance {
  /** Deployment and Service name: a DNS-1123 label of at most 63 characters. */
  readonly name: string;
  /** `s3://<bucket>/<prefix>/` the Spark event logs are below (`spark.eventLog.dir` of the jobs it shows). */
  readonly logDirectory: string;
  /** Labels of its pods and of the Service selector, besides `app.kubernetes.io/name` and `instance`. @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * The server's own IAM role (IRSA): it then runs as a ServiceAccount of its own, named like the server, and this role
   * needs read access to `logDirectory` only. @default the shared `roleArn`
   */
  readonly roleArn?: string;
  /**
   * Pods that may open this server's UI besides `allowIngressFromNamespaces`: a namespace and the labels of its pods
   * (e.g. the tenant's notebook servers, which read their own applications' history). @default none
   */
  readonly uiClients?: readonly { readonly namespace: string; readonly podLabels: Readonly<Record<string, string>> }[];
}

export interface SparkHistoryServersProps {
  /** Namespace of the servers; rendered with Pod Security `restricted` enforced. */
  readonly namespace: string;
  /** Container image with Spark (`/usr/lib/spark/bin/spark-class`) and S3 support, e.g. an EMR on EKS Spark image. */
  readonly image: string;
  /**
   * IAM role (IRSA) of the shared ServiceAccount `spark-history-server`, for the servers without a role of their own:
   * read-only on their log prefixes. @default none: then every server names its own `roleArn`
   */
  readonly roleArn?: string;
  /** One server per event-log prefix (Spark's history server reads one directory, not its sub-folders). */
  readonly servers: readonly SparkHistoryServerInstance[];
  /** Namespaces whose pods may reach the UI (port 18080); every other ingress is denied. @default none */
  readonly allowIngressFromNamespaces?: readonly string[];
  /** CPU and memory requests per server; the memory limit is the same. @default SPARK_HISTORY_SERVER_DEFAULTS */
  readonly resources?: { readonly cpu: QuantityInput; readonly memory: QuantityInput };
  /** Pin the servers to these EKS managed node groups. @default any node Karpenter did not make */
  readonly managedNodeGroups?: readonly string[];
  /**
   * Where the pods go instead of off every Karpenter node: on EKS Auto Mode every node is one, so a built-in pool
   * (autoModeAddonPlacement). Not with managedNodeGroups. @default off every Karpenter node
   */
  readonly nodePlacement?: AutoModeAddonPlacement;
  /** User and group of the image (EMR images: hadoop, uid 999, gid 1000). @default { uid: 999, gid: 1000 } */
  readonly user?: { readonly uid: number; readonly gid: number };
  /**
   * `pod-identity`: the accounts carry no IRSA annotation; EKS Pod Identity associations (rendered elsewhere) bind their
   * roles. @default 'irsa'
   */
  readonly identity?: 'irsa' | 'pod-identity';
}

const S3_PREFIX = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^\s]*)?\/$/;
const IMAGE = /^[a-z0-9][a-z0-9.-]*(:[0-9]+)?\/[a-z0-9._/-]+(:[A-Za-z0-9._-]{1,128}|@sha256:[a-f0-9]{64})$/;

/**
 * Spark History Servers reading Spark event logs from S3, rendered without a chart: the namespace (Pod Security
 * `restricted`), ServiceAccounts bound to read-only IAM roles (IRSA: one of its own per server given a `roleArn`, which
 * can then read only that server's prefix; a shared `spark-history-server` for the others), per server a Deployment (Spark's
 * `HistoryServer` class in the foreground through `spark-class`, restricted security context, requests and limits,
 * a readiness probe on the UI) and a ClusterIP Service, and NetworkPolicies: ingress denied except to the UI port
 * from the listed namespaces, and to each server's UI from its `uiClients`. The servers run where Karpenter's controller does: never on a node Karpenter made (so
 * never on a Spark pool, and never interrupted as spot), on the managed node groups when given.
 *
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { SparkHistoryServers } from '@emr-eks-gitops/core';
 *
 * const chart = new Chart(new App(), 'spark-history');
 * new SparkHistoryServers(chart, 'history', {
 *   namespace: 'spark-history',
 *   image: '996579266876.dkr.ecr.ap-northeast-2.amazonaws.com/spark/emr-7.5.0:latest',
 *   // A role per server (least privilege: each reads only its prefix); `roleArn` would be shared by servers without one.
 *   servers: [{
 *     name: 'spark-history-analytics',
 *     logDirectory: 's3://logs-bucket/analytics/spark-events/',
 *     roleArn: 'arn:aws:iam::123456789012:role/spark-history-analytics',
 *   }],
 *   allowIngressFromNamespaces: ['ingress-nginx'],
 * });
 * // chart.toJson(): the namespace, a ServiceAccount, Deployment and Service per server, NetworkPolicies
 * ```
 */
export class SparkHistoryServers extends Construct {
  /** The shared ServiceAccount (rendered when a server has no role of its own). */
  readonly serviceAccountName = 'spark-history-server';

  constructor(scope: Construct, id: string, props: SparkHistoryServersProps) {
    super(scope, id);
    const { namespace } = props;
    assertDnsLabel(namespace, 'namespace');
    requireThat(IMAGE.test(props.image), 'image', `"${props.image}" must be an image reference with a tag or digest`);
    if (props.roleArn !== undefined) requireIamRoleArn(props.roleArn, 'roleArn');
    requireThat(props.servers.length > 0, 'servers', 'must name at least one server');
    const names = new Set<string>();
    props.servers.forEach((server, i) => {
      assertDnsLabel(server.name, `servers[${i}].name`);
      requireThat(!names.has(server.name), `servers[${i}].name`, `"${server.name}" is used twice`);
      names.add(server.name);
      requireThat(
        S3_PREFIX.test(server.logDirectory),
        `servers[${i}].logDirectory`,
        `"${server.logDirectory}" must be an S3 prefix s3://<bucket>/<prefix>/ ending in "/"`,
      );
      (server.uiClients ?? []).forEach((client, j) => {
        assertDnsLabel(client.namespace, `servers[${i}].uiClients[${j}].namespace`);
        // An empty selector would admit every pod of the namespace: name the pods.
        requireThat(
          Object.keys(client.podLabels).length > 0,
          `servers[${i}].uiClients[${j}].podLabels`,
          'must name at least one label of the pods admitted',
        );
      });
      if (server.roleArn !== undefined) {
        requireIamRoleArn(server.roleArn, `servers[${i}].roleArn`);
        requireThat(
          server.name !== this.serviceAccountName,
          `servers[${i}].name`,
          `"${server.name}" is the shared ServiceAccount's name; a server with a role of its own needs another name`,
        );
      } else {
        requireThat(
          props.roleArn !== undefined,
          `servers[${i}].roleArn`,
          `server "${server.name}" has no IAM role: give it a roleArn, or give the servers a shared roleArn`,
        );
      }
    });
    (props.allowIngressFromNamespaces ?? []).forEach((name, i) => {
      assertDnsLabel(name, `allowIngressFromNamespaces[${i}]`);
    });
    const cpu = props.resources?.cpu ?? SPARK_HISTORY_SERVER_DEFAULTS.cpu;
    const memory = props.resources?.memory ?? SPARK_HISTORY_SERVER_DEFAULTS.memory;
    const memoryBytes = parseQuantity(memory, 'resources.memory');
    parseQuantity(cpu, 'resources.cpu');
    requireThat(
      memoryBytes >= 1024 ** 3,
      'resources.memory',
      `${quantityString(memory)} is too little for a history server; give it at least 1Gi`,
    );
    // The JVM heap: most of the container's memory, the rest for metaspace, threads and the S3 client's buffers.
    const heapMiB = Math.floor((memoryBytes / 1024 ** 2) * SPARK_HISTORY_SERVER_DEFAULTS.heapFraction);
    const user = props.user ?? { uid: 999, gid: 1000 };
    const nodeGroups = props.managedNodeGroups;
    if (nodeGroups !== undefined)
      requireThat(nodeGroups.length > 0, 'managedNodeGroups', 'must name at least one node group when given');
    const placement = addonNodePlacement(props.nodePlacement, nodeGroups);
    const irsaAnnotations = (roleArn: string) =>
      props.identity === 'pod-identity' ? {} : { annotations: { 'eks.amazonaws.com/role-arn': roleArn } };

    new k8s.KubeNamespace(this, 'Namespace', {
      metadata: {
        name: namespace,
        labels: {
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/audit': 'restricted',
        },
      },
    });
    if (props.roleArn !== undefined && props.servers.some((server) => server.roleArn === undefined)) {
      new k8s.KubeServiceAccount(this, 'ServiceAccount', {
        metadata: { name: this.serviceAccountName, namespace, ...irsaAnnotations(props.roleArn) },
        automountServiceAccountToken: false,
      });
    }

    for (const server of props.servers) {
      // A role of its own comes with an account of its own: IRSA trusts one ServiceAccount per role.
      const serviceAccountName = server.roleArn === undefined ? this.serviceAccountName : server.name;
      if (server.roleArn !== undefined) {
        new k8s.KubeServiceAccount(this, `ServiceAccount-${server.name}`, {
          metadata: { name: serviceAccountName, namespace, ...irsaAnnotations(server.roleArn) },
          automountServiceAccountToken: false,
        });
      }
      const selector = { ...sparkHistoryServerSelector(server.name) };
      const options = [
        `-Dspark.history.fs.logDirectory=${server.logDirectory}`,
        `-Dspark.history.ui.port=${SPARK_HISTORY_UI_PORT}`,
        // Read-only: the jobs' retention is S3 lifecycle's business, not the history server's.
        '-Dspark.history.fs.cleaner.enabled=false',
        '-Dspark.history.fs.update.interval=30s',
        // Each UI shown is replayed into memory; bound how many stay loaded.
        '-Dspark.history.retainedApplications=50',
        ...Object.entries(SPARK_HISTORY_EMRFS.hadoopConf).map(([key, value]) => `-Dspark.hadoop.${key}=${value}`),
      ];
      new k8s.KubeDeployment(this, `Deployment-${server.name}`, {
        metadata: { name: server.name, namespace, labels: selector },
        spec: {
          replicas: 1,
          selector: { matchLabels: selector },
          template: {
            metadata: { labels: { ...server.labels, ...selector } },
            spec: {
              serviceAccountName,
              securityContext: {
                runAsNonRoot: true,
                runAsUser: user.uid,
                runAsGroup: user.gid,
                fsGroup: user.gid,
                seccompProfile: { type: 'RuntimeDefault' },
              },
              affinity: {
                nodeAffinity: placement?.nodeAffinity ?? offKarpenterNodeAffinity(nodeGroups),
              },
              tolerations: placement?.tolerations.length ? placement.tolerations.map((t) => ({ ...t })) : undefined,
              containers: [
                {
                  name: 'history-server',
                  image: props.image,
                  // spark-class runs the server in the foreground (start-history-server.sh would daemonize it).
                  command: ['/usr/lib/spark/bin/spark-class', 'org.apache.spark.deploy.history.HistoryServer'],
                  env: [
                    { name: 'SPARK_HISTORY_OPTS', value: options.join(' ') },
                    { name: 'SPARK_DAEMON_MEMORY', value: `${heapMiB}m` },
                    { name: 'SPARK_DAEMON_CLASSPATH', value: SPARK_HISTORY_EMRFS.classpath.join(':') },
                  ],
                  ports: [{ name: 'http', containerPort: SPARK_HISTORY_UI_PORT, protocol: 'TCP' }],
                  readinessProbe: {
                    httpGet: { path: '/', port: k8s.IntOrString.fromString('http') },
                    initialDelaySeconds: 20,
                    periodSeconds: 10,
                    timeoutSeconds: 5,
                    failureThreshold: 6,
                  },
                  livenessProbe: {
                    tcpSocket: { port: k8s.IntOrString.fromString('http') },
                    initialDelaySeconds: 120,
                    periodSeconds: 30,
                    timeoutSeconds: 5,
                    failureThreshold: 4,
                  },
                  resources: {
                    requests: {
                      cpu: k8s.Quantity.fromString(quantityString(cpu)),
                      memory: k8s.Quantity.fromString(quantityString(memory)),
                    },
                    limits: { memory: k8s.Quantity.fromString(quantityString(memory)) },
                  },
                  securityContext: {
                    allowPrivilegeEscalation: false,
                    privileged: false,
                    runAsNonRoot: true,
                    capabilities: { drop: ['ALL'] },
                    seccompProfile: { type: 'RuntimeDefault' },
                  },
                },
              ],
            },
          },
        },
      });
      if (server.uiClients?.length) {
        // Only this server, only from those pods: a tenant's notebooks read their own tenant's history, no other's.
        new k8s.KubeNetworkPolicy(this, `AllowUiClients-${server.name}`, {
          metadata: { name: `allow-ui-clients-${server.name}`, namespace },
          spec: {
            podSelector: { matchLabels: selector },
            policyTypes: ['Ingress'],
            ingress: [
              {
                from: server.uiClients.map((client) => ({
                  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': client.namespace } },
                  podSelector: { matchLabels: { ...client.podLabels } },
                })),
                ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(SPARK_HISTORY_UI_PORT) }],
              },
            ],
          },
        });
      }
      new k8s.KubeService(this, `Service-${server.name}`, {
        metadata: { name: server.name, namespace, labels: selector },
        spec: {
          type: 'ClusterIP',
          selector,
          ports: [
            {
              name: 'http',
              port: SPARK_HISTORY_UI_PORT,
              targetPort: k8s.IntOrString.fromString('http'),
              protocol: 'TCP',
            },
          ],
        },
      });
    }

    new k8s.KubeNetworkPolicy(this, 'DenyIngress', {
      metadata: { name: 'default-deny-ingress', namespace },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    });
    const allowed = [...new Set(props.allowIngressFromNamespaces ?? [])].sort();
    if (allowed.length > 0) {
      new k8s.KubeNetworkPolicy(this, 'AllowUi', {
        metadata: { name: 'allow-ui', namespace },
        spec: {
          podSelector: { matchLabels: { 'app.kubernetes.io/name': 'spark-history-server' } },
          policyTypes: ['Ingress'],
          ingress: [
            {
              from: [
                {
                  namespaceSelector: {
                    matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: allowed }],
                  },
                },
              ],
              ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(SPARK_HISTORY_UI_PORT) }],
            },
          ],
        },
      });
    }
  }
}
