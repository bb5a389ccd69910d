import { requireThat } from '../primitives/errors.js';

/**
 * The AWS Load Balancer Controller's annotations this project writes, and the values each accepts, as the controller
 * documents them: kubernetes-sigs/aws-load-balancer-controller v3.5.0, `docs/guide/service/annotations.md` (NLB for a
 * Service) and `docs/guide/ingress/annotations.md` (ALB for an Ingress), published at
 * https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/. The controller's chart creates the
 * IngressClass `alb` (`helm/aws-load-balancer-controller/values.yaml`: `ingressClass: alb`,
 * `createIngressClassResource: true`). Tests read every rendered Service and Ingress against this.
 */
export const AWS_LOAD_BALANCER_CONTROLLER = {
  source:
    'kubernetes-sigs/aws-load-balancer-controller v3.5.0 docs/guide/service/annotations.md, docs/guide/ingress/annotations.md',
  ingressClassName: 'alb',
  service: {
    // "This controller reconciles those service resources with this annotation set to either nlb-ip or external."
    'service.beta.kubernetes.io/aws-load-balancer-type': /^(external|nlb-ip)$/,
    'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': /^(instance|ip)$/,
    'service.beta.kubernetes.io/aws-load-balancer-scheme': /^(internal|internet-facing)$/,
    // "the ARN of one or more certificates managed by the AWS Certificate Manager" (comma-separated)
    'service.beta.kubernetes.io/aws-load-balancer-ssl-cert': /^arn:[^,\s]+:acm:[^,\s]+(,arn:[^,\s]+:acm:[^,\s]+)*$/,
    // "a list of port names or port values"
    'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': /^[a-z0-9-]+(,[a-z0-9-]+)*$/,
    'service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy': /^ELBSecurityPolicy-[A-Za-z0-9-]+$/,
    'service.beta.kubernetes.io/aws-load-balancer-backend-protocol': /^(ssl|tcp)$/,
  },
  ingress: {
    'alb.ingress.kubernetes.io/scheme': /^(internal|internet-facing)$/,
    'alb.ingress.kubernetes.io/target-type': /^(instance|ip)$/,
    'alb.ingress.kubernetes.io/certificate-arn': /^arn:[^,\s]+:acm:[^,\s]+(,arn:[^,\s]+:acm:[^,\s]+)*$/,
    // JSON, e.g. '[{"HTTP": 80}, {"HTTPS": 443}]'
    'alb.ingress.kubernetes.io/listen-ports': /^\[\{"HTTPS?": ?[0-9]+\}(, ?\{"HTTPS?": ?[0-9]+\})*\]$/,
    // "the SSL port that redirects to": it must be one of listen-ports
    'alb.ingress.kubernetes.io/ssl-redirect': /^[0-9]+$/,
    'alb.ingress.kubernetes.io/ssl-policy': /^ELBSecurityPolicy-[A-Za-z0-9-]+$/,
    'alb.ingress.kubernetes.io/healthcheck-path': /^\/\S*$/,
  },
} as const;

/**
 * What the JupyterHub chart's `proxy-public` Service serves (zero-to-jupyterhub-k8s 4.4.0
 * jupyterhub/templates/proxy/service.yaml): port 443 named `https` only with `proxy.https.enabled` and a valid type,
 * which with `type: offload` targets the proxy's plain `http` port; port 80 named `http` unless `disableHttpPort`. Its
 * Ingress (templates/ingress.yaml) routes to `proxy-public`'s port named `http`.
 */
export const JUPYTERHUB_PROXY_PUBLIC = {
  httpsPort: 443,
  httpPort: 80,
  offloadTargetPort: 'http',
  ingressBackendPort: 'http',
} as const;

/** The TLS policy of both listeners: TLS 1.3 and 1.2 only (ELB's recommended policy). */
export const ELB_TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

/** How TLS reaches JupyterHub: a load balancer of the AWS Load Balancer Controller with an ACM certificate. */
export interface JupyterHubTls {
  /**
   * `nlb`: the proxy's `proxy-public` Service as a Network Load Balancer with a TLS listener on 443 (the chart's
   * `proxy.https` `offload`); `alb`: an Ingress of class `alb` (an Application Load Balancer, HTTPS on 443, HTTP 80
   * redirected) in front of a ClusterIP `proxy-public`.
   */
  readonly loadBalancer: 'nlb' | 'alb';
  /** An ACM certificate in the cluster's account and region, for `host`. */
  readonly certificateArn: string;
  /** @default 'internal' (the controller's default) */
  readonly scheme?: 'internal' | 'internet-facing';
  /** The name users reach the hub at (the OAuth callback's host); the Ingress routes only it. @default any */
  readonly host?: string;
}

/**
 * The type `proxy-public` must have behind each load balancer: the NLB is that Service itself; the ALB reaches the
 * proxy through the Ingress by pod IP, and any other type would add a second, plain-HTTP way in.
 */
export const TLS_PROXY_SERVICE_TYPE = { nlb: 'LoadBalancer', alb: 'ClusterIP' } as const;

const ACM_CERTIFICATE_ARN =
  /^arn:aws(-[a-z]+)*:acm:[a-z0-9-]+:[0-9]{12}:certificate\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HOST = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * The JupyterHub chart values (z2jh 4.4.0) that put TLS in front of the proxy. The chart's `proxy-public` Service
 * serves port 443 only with `proxy.https.enabled`, and with `type: offload` sends it to the proxy's plain `http` port
 * (templates/proxy/service.yaml); its Ingress routes to `proxy-public`'s `http` port (templates/ingress.yaml). No
 * plain-HTTP path reaches the hub: the NLB has no port 80 (`disableHttpPort`), the ALB redirects 80 to 443. Targets
 * are pod IPs (`ip`), so the ALB needs no NodePort; the proxy's own NetworkPolicy admits its `http` port from anywhere
 * (`proxy.chp.networkPolicy.allowedIngressPorts` default), which the load balancers need.
 */
export function jupyterHubTlsValues(tls: JupyterHubTls): {
  proxy: Record<string, unknown>;
  ingress?: Record<string, unknown>;
} {
  requireThat(
    ACM_CERTIFICATE_ARN.test(tls.certificateArn),
    'tls.certificateArn',
    `"${tls.certificateArn}" must be an ACM certificate ARN, arn:aws:acm:<region>:<account>:certificate/<id>`,
    'JupyterHub values',
  );
  requireThat(
    ['nlb', 'alb'].includes(tls.loadBalancer),
    'tls.loadBalancer',
    `"${tls.loadBalancer}" must be nlb or alb`,
    'JupyterHub values',
  );
  if (tls.host !== undefined)
    requireThat(HOST.test(tls.host), 'tls.host', `"${tls.host}" must be a DNS name`, 'JupyterHub values');
  const scheme = tls.scheme ?? 'internal';
  if (tls.loadBalancer === 'nlb') {
    return {
      proxy: {
        service: {
          type: TLS_PROXY_SERVICE_TYPE.nlb,
          annotations: {
            'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
            'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
            'service.beta.kubernetes.io/aws-load-balancer-scheme': scheme,
            'service.beta.kubernetes.io/aws-load-balancer-ssl-cert': tls.certificateArn,
            'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': String(JUPYTERHUB_PROXY_PUBLIC.httpsPort),
            'service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy': ELB_TLS_POLICY,
          },
          disableHttpPort: true,
        },
        https: { enabled: true, type: 'offload' },
      },
    };
  }
  return {
    proxy: { service: { type: TLS_PROXY_SERVICE_TYPE.alb } },
    ingress: {
      enabled: true,
      ingressClassName: AWS_LOAD_BALANCER_CONTROLLER.ingressClassName,
      ...(tls.host !== undefined ? { hosts: [tls.host] } : {}),
      pathType: 'Prefix',
      annotations: {
        'alb.ingress.kubernetes.io/scheme': scheme,
        'alb.ingress.kubernetes.io/target-type': 'ip',
        'alb.ingress.kubernetes.io/certificate-arn': tls.certificateArn,
        'alb.ingress.kubernetes.io/listen-ports': JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }]),
        'alb.ingress.kubernetes.io/ssl-redirect': '443',
        'alb.ingress.kubernetes.io/ssl-policy': ELB_TLS_POLICY,
        // The proxy answers / with a redirect, which ALB's default check (200 only) counts as unhealthy.
        'alb.ingress.kubernetes.io/healthcheck-path': '/hub/health',
      },
    },
  };
}
