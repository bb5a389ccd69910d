import type { IVolume } from 'kubernetes-models/v1/Volume';
import { requireThat } from '../primitives/errors.js';
import { requireObjectName, requireQuantity } from '../primitives/kubernetes-names.js';

/**
 * Scratch space for `spark.local.dir` (shuffle and spill files):
 * - `generic-ephemeral-volume`: a PVC per pod from an EBS StorageClass, created and deleted with the pod;
 * - `instance-store`: an emptyDir, which lives on the NVMe RAID0 array when the node class sets
 *   `instanceStorePolicy: RAID0` (kubelet's directory is moved there), so no root-only hostPath is needed;
 * - `ephemeral-storage`: an emptyDir on the pod's own ephemeral storage, sized by an `ephemeral-storage` request of
 *   the Spark container (EKS Fargate: no dynamic volume provisioning, 20 GiB included, up to 175 GiB provisioned, which
 *   is the request plus 10% and 5 GiB).
 */
export type SparkLocalDisk =
  | {
      readonly kind: 'generic-ephemeral-volume';
      /** StorageClass of the per-pod volume, e.g. a Gp3StorageClass. */
      readonly storageClassName: string;
      /** Volume size, e.g. `100Gi`. */
      readonly size: string;
    }
  | {
      readonly kind: 'instance-store';
      /** Upper bound of the emptyDir; the kubelet evicts the pod beyond it. @default no bound */
      readonly sizeLimit?: string;
    }
  | {
      readonly kind: 'ephemeral-storage';
      /** The Spark container's `ephemeral-storage` request, e.g. `50Gi`; on Fargate it also holds the image layers. */
      readonly size: string;
    };

/** Name prefix Spark's LocalDirsFeatureStep looks for: mounts of such volumes become SPARK_LOCAL_DIRS. */
export const SPARK_LOCAL_DIR_VOLUME = 'spark-local-dir-1';

/** EMR on EKS reserves /mnt for its own mounts (logs, secrets, config). */
export function requireNotUnderMnt(path: string, field: string): void {
  requireThat(path.startsWith('/'), field, `"${path}" must be an absolute path`);
  const normalized = path.replace(/\/+$/, '') || '/';
  requireThat(
    normalized !== '/mnt' && !normalized.startsWith('/mnt/'),
    field,
    `"${path}" is at or under /mnt, which EMR on EKS reserves; use e.g. /data or /var/data`,
  );
}

/** The pod volume for a local disk choice. */
export function localDiskVolume(disk: SparkLocalDisk, field: string): IVolume {
  if (disk.kind === 'instance-store') {
    if (disk.sizeLimit !== undefined) requireQuantity(disk.sizeLimit, `${field}.sizeLimit`);
    return { name: SPARK_LOCAL_DIR_VOLUME, emptyDir: disk.sizeLimit ? { sizeLimit: disk.sizeLimit } : {} };
  }
  if (disk.kind === 'ephemeral-storage') {
    requireQuantity(disk.size, `${field}.size`);
    // No sizeLimit: the pod's ephemeral storage is the bound, and it also holds the image and the logs.
    return { name: SPARK_LOCAL_DIR_VOLUME, emptyDir: {} };
  }
  requireThat(
    disk.kind === 'generic-ephemeral-volume',
    `${field}.kind`,
    'must be "generic-ephemeral-volume", "instance-store" or "ephemeral-storage"',
  );
  requireObjectName(disk.storageClassName, `${field}.storageClassName`);
  requireQuantity(disk.size, `${field}.size`);
  return {
    name: SPARK_LOCAL_DIR_VOLUME,
    ephemeral: {
      volumeClaimTemplate: {
        spec: {
          accessModes: ['ReadWriteOnce'],
          storageClassName: disk.storageClassName,
          resources: { requests: { storage: disk.size } },
        },
      },
    },
  };
}
