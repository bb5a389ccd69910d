import { ConfigurationError } from './errors.js';

/** A Kubernetes minor version such as `1.30`, as EKS names its versions. */
export interface KubernetesVersion {
  readonly major: number;
  readonly minor: number;
}

/** Parses `"1.30"` (EKS style). Throws ConfigurationError naming `field` for anything else. */
export function parseKubernetesVersion(text: string, field = 'kubernetesVersion'): KubernetesVersion {
  const match = /^(\d+)\.(\d+)$/.exec(text);
  if (!match)
    throw new ConfigurationError(
      field,
      `"${text}" is not a Kubernetes version; write it as a quoted "1.<minor>", e.g. "1.30"`,
    );
  return { major: Number(match[1]), minor: Number(match[2]) };
}

/** True when `version` is at least `major.minor`. */
export function isAtLeast(version: KubernetesVersion, major: number, minor: number): boolean {
  return version.major > major || (version.major === major && version.minor >= minor);
}
