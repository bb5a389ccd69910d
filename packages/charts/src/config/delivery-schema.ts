import { Type, type Static } from '@sinclair/typebox';
import { GoDuration, StringEnum, strictObject } from './schema-types.js';
import { ProgressiveSyncSchema } from './fleet-schema.js';

export const DeliverySchema = strictObject(
  {
    engine: StringEnum(['flux', 'argocd'], {
      description:
        'what applies dist-manifests/<env>/ to the cluster: "flux" (a GitRepository and one Kustomization per layer, rendered into flux/) or "argocd" (one Application per layer and a root Application, rendered into argocd/)',
    }),
    repository: strictObject(
      {
        url: Type.String({
          pattern: '^(https://|ssh://)[^\\s]+$',
          description:
            'URL of this Git repository as the controller clones it: https://... or ssh://git@... (the scp form git@host:path is not accepted by Flux)',
        }),
        branch: Type.String({
          pattern: '^[A-Za-z0-9._/-]+$',
          minLength: 1,
          maxLength: 250,
          description: 'branch the controller follows, e.g. main: a merge to it is a deployment',
        }),
        secretName: Type.Optional(
          Type.String({
            pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$',
            maxLength: 253,
            description:
              'flux: the Secret in flux-system holding the Git credentials (created outside Git, e.g. by flux create secret git); absent for a public repository. argocd: leave it out and register the repository with Argo CD',
          }),
        ),
      },
      'the Git repository and branch the rendered manifests are read from',
    ),
    interval: Type.Optional(
      GoDuration(
        'flux: how often Flux polls the branch and re-applies each layer (drift correction), e.g. 5m (default)',
        { default: '5m' },
      ),
    ),
    retryInterval: Type.Optional(
      GoDuration(
        'how long a failed layer waits before it is tried again, e.g. 2m (default); argocd: the first retry back-off',
        { default: '2m' },
      ),
    ),
    timeout: Type.Optional(
      GoDuration('how long a layer may take to apply and become ready before it counts as failed, e.g. 10m (default)', {
        default: '10m',
      }),
    ),
    prune: Type.Optional(
      Type.Boolean({
        default: true,
        description:
          'delete from the cluster what was removed from Git (default true); objects of retired tenants are never pruned',
      }),
    ),
    selfHeal: Type.Optional(
      Type.Boolean({
        default: true,
        description: 'argocd: undo changes made to the cluster outside Git (default true); Flux always does',
      }),
    ),
    argocd: Type.Optional(
      strictObject(
        {
          namespace: Type.Optional(
            Type.String({
              pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
              maxLength: 63,
              default: 'argocd',
              description: 'namespace of Argo CD and its Applications (default argocd)',
            }),
          ),
          project: Type.Optional(
            Type.String({
              minLength: 1,
              maxLength: 253,
              default: 'default',
              description:
                'AppProject of the Applications (default "default"); it must allow this repository, the chart registry and cluster-scoped kinds',
            }),
          ),
          destinationServer: Type.Optional(
            Type.String({
              pattern: '^https://[^\\s]+$',
              default: 'https://kubernetes.default.svc',
              description:
                "API server of this environment's cluster as Argo CD knows it (default https://kubernetes.default.svc, the cluster Argo CD runs in)",
            }),
          ),
          progressiveSync: Type.Optional(ProgressiveSyncSchema),
        },
        'Argo CD settings; only with engine argocd',
      ),
    ),
  },
  'How the rendered layers reach the cluster: Flux or Argo CD, the repository and branch they follow, and how they retry',
);

export type DeliveryConfig = Static<typeof DeliverySchema>;
