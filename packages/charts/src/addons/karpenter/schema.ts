import { Type, type Static } from '@sinclair/typebox';
import { StringEnum, strictObject } from '../../config/schema-types.js';
import { KARPENTER_CLUSTER_NAMESPACE } from '@emr-eks-gitops/core';

/** The Karpenter controller as a Helm release; its settings (IRSA role, interruption queue, node groups) are capacity.controller's. */
export const KarpenterAddonSchema = strictObject(
  {
    namespace: Type.Optional(
      StringEnum([KARPENTER_CLUSTER_NAMESPACE, 'karpenter'], {
        default: KARPENTER_CLUSTER_NAMESPACE,
        description:
          "namespace of the controller's release: kube-system (default, where karpenter-crd's release record lives too) or karpenter (created on install)",
      }),
    ),
    replicas: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 5,
        default: 2,
        description: 'controller replicas, each on a different node (default 2: one leader, one standby)',
      }),
    ),
  },
  "Karpenter's controller (chart oci://public.ecr.aws/karpenter/karpenter, the version of the CRD chart), installed after its CRDs and before the NodePools, never on a node Karpenter made; settings from capacity.controller",
);

export type KarpenterAddonConfig = Static<typeof KarpenterAddonSchema>;

declare module '../../config/schema.js' {
  /** addons.karpenter: the type of this add-on's section (its schema above is the list's, addons/index.ts). */
  interface AddonsConfig {
    karpenter?: KarpenterAddonConfig;
  }
}
