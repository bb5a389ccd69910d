import { describe, expect, it } from 'vitest';
import { at, refused } from './support/refused.js';
import { editEnvironment, runCli, tempProject } from './support/project.js';

const STAGING_TLS = `    tls:                      # the callback is https: the AWS Load Balancer Controller terminates TLS (see the environment README)
      loadBalancer: nlb       # TLS listener on 443 with the certificate, forwarded to the proxy's HTTP port; no port 80
      certificateArn: arn:aws:acm:ap-northeast-2:310987654321:certificate/5b0c2f4e-7d3a-4c1e-9f6b-2a8d1e3c4b5a   # jupyter.staging.spark.acme-data.example
      scheme: internal        # reached over the company VPN; internet-facing to publish it
`;

describe('render refuses a JupyterHub login that cannot work, at its line', () => {
  it('an https:// OAuth callback with nothing serving HTTPS: proxy-public serves plain HTTP on port 80', async () => {
    const { stderr, file } = await refused('staging', (text) => {
      expect(text).toContain(STAGING_TLS);
      return text.replace(STAGING_TLS, '');
    });
    expect(stderr).toContain(
      `environments/staging.yaml:${at(file, 'https://jupyter.staging')}: addons.jupyterhub.auth.callbackUrl: the provider sends users back to https://jupyter.staging.spark.acme-data.example/hub/oauth_callback, and nothing serves HTTPS for jupyter.staging.spark.acme-data.example: the chart's proxy-public serves plain HTTP on port 80 (an un-annotated LoadBalancer on EKS forwards TCP 80 only), so every login fails; add addons.jupyterhub.tls with the load balancer (nlb or alb, through the AWS Load Balancer Controller) and the ACM certificate of jupyter.staging.spark.acme-data.example [jupyterhub-tls]`,
    );
    expect(stderr.trim().split('\n')).toHaveLength(2);
  });

  it('a certificate of another region or account: the load balancer cannot use it', async () => {
    const { stderr, file } = await refused('prod', (text) =>
      text.replace(
        'arn:aws:acm:ap-northeast-2:410987654321:certificate/',
        'arn:aws:acm:us-east-1:410987654321:certificate/',
      ),
    );
    expect(stderr).toContain(
      `environments/prod.yaml:${at(file, 'arn:aws:acm:us-east-1')}: addons.jupyterhub.tls.certificateArn: is a certificate of region us-east-1, not the cluster's ap-northeast-2: a load balancer can use only ACM certificates of its own account and region, so the controller cannot create the TLS listener; request (or import) the certificate in 410987654321 ap-northeast-2 [jupyterhub-tls-certificate]`,
    );
  });

  it('a proxy-public the load balancer does not expect: a second, plain-HTTP way in beside the ALB', async () => {
    const { stderr, file } = await refused('prod', (text) =>
      text.replace(
        '    tls:                      # the callback',
        '    proxyServiceType: LoadBalancer\n    tls:                      # the callback',
      ),
    );
    expect(stderr).toContain(
      `environments/prod.yaml:${at(file, 'LoadBalancer', 'proxyServiceType: LoadBalancer')}: addons.jupyterhub.proxyServiceType: is LoadBalancer, and with tls.loadBalancer alb the Ingress is the only way in: a LoadBalancer proxy-public would also serve the hub in plain HTTP on port 80; write ClusterIP or leave it out [jupyterhub-tls]`,
    );
    const nlb = await refused('staging', (text) =>
      text.replace('    proxyServiceType: LoadBalancer ', '    proxyServiceType: NodePort '),
    );
    expect(nlb.stderr).toContain(
      `environments/staging.yaml:${at(nlb.file, 'NodePort', 'proxyServiceType: NodePort')}: addons.jupyterhub.proxyServiceType: is NodePort, and tls.loadBalancer nlb makes proxy-public the Network Load Balancer itself (type LoadBalancer); write LoadBalancer or leave it out [jupyterhub-tls]`,
    );
  });

  it('TLS through the AWS Load Balancer Controller on EKS Auto Mode, whose load balancing reads other settings', async () => {
    const { stderr, file } = await refused('sandbox', (text) =>
      text.replace(
        /^( {4}proxyServiceType: ClusterIP.*\n)/m,
        '$1    tls: { loadBalancer: alb, certificateArn: "arn:aws:acm:ap-northeast-2:510987654321:certificate/5b0c2f4e-7d3a-4c1e-9f6b-2a8d1e3c4b5a" }\n',
      ),
    );
    expect(stderr).toContain(
      `environments/sandbox.yaml:${at(file, '{ loadBalancer: alb')}: addons.jupyterhub.tls: is rendered for the AWS Load Balancer Controller (its service annotations or IngressClass alb); EKS Auto Mode's load balancing reads other settings (loadBalancerClass eks.amazonaws.com/nlb, IngressClassParams) that this project does not render: leave tls out and terminate TLS in front of proxy-public yourself [jupyterhub-tls]`,
    );
  });
});

describe('Prometheus on a node port', () => {
  it("dev keeps the seed's NodePort 30006 and is warned, at the port, which security-group rule must limit it", async () => {
    const root = tempProject();
    const result = await runCli(root, ['validate', '--env', 'dev']);
    expect(result.exitCode).toBe(0); // a warning, not an error
    expect(result.stderr).toMatch(
      /^warning: environments\/dev\.yaml:\d+:\d+: addons\.prometheus\.server\.service\.nodePort: Prometheus is published on port 30006 of every node with no authentication: whoever reaches a node there reads every tenant's Spark metrics; the inbound rule for TCP 30006 on the nodes' security groups \(the cluster security group eks-cluster-sg-spark-platform-dev-\* of the managed node groups, and those Karpenter's nodes take by karpenter\.sh\/discovery: spark-platform-dev\) must allow only your administrators' CIDRs, never 0\.0\.0\.0\/0 \(or use ClusterIP and kubectl port-forward\) \[prometheus-node-port\]$/m,
    );
    const line = result.stderr.split('\n').find((entry) => entry.includes('[prometheus-node-port]'))!;
    expect(line).toContain(
      `environments/dev.yaml:${at((await import('node:fs')).readFileSync(`${root}/environments/dev.yaml`, 'utf8'), '30006')}:`,
    );
  });

  it('with the lifecycle API asked for, the warning says whoever reaches the port may stop the server', async () => {
    const root = tempProject();
    editEnvironment(root, 'dev', (text) =>
      text.replace('      storageSize: 20Gi', '      lifecycleApi: true\n      storageSize: 20Gi'),
    );
    const result = await runCli(root, ['validate', '--env', 'dev']);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain(
      'Prometheus is published on port 30006 of every node with no authentication and with its lifecycle API (POST /-/quit stops it): ',
    );
  });
});
