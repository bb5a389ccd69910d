import {
  AUTO_MODE_DEFAULT_EXPIRE_AFTER,
  AUTO_MODE_DEFAULT_TERMINATION_GRACE_PERIOD,
  AUTO_MODE_MAX_NODE_LIFETIME,
  goDurationSeconds,
} from '@emr-eks-gitops/core';
import type { CapacityConfig } from './capacity-schema.js';
import type { AddonsConfig } from './schema.js';
import type { Locate, Problem } from './problems.js';

/**
 * The capacity back end's cross-field rules. Self-managed Karpenter needs its AMI and controller settings. EKS Auto Mode
 * installs none of what it replaces (no controller release), bounds a node's life at 21 days (expiry plus drain must
 * fit in it, or Auto Mode kills the drivers the drain was waiting for), and needs a built-in pool for the add-ons.
 * Settings of the other back end may stay, so switching is a one-line change.
 */
export function capacityBackendProblems(
  capacity: Partial<CapacityConfig> | undefined,
  addons: Partial<AddonsConfig> | undefined,
  at: Locate,
): Problem[] {
  if (!capacity) return [];
  const problems: Problem[] = [];
  if (capacity.backend !== 'auto-mode') {
    if (capacity.amiAlias === undefined) {
      problems.push(
        at(
          'capacity-backend-settings',
          ['capacity'],
          'backend karpenter needs amiAlias, the pinned AMI of its EC2NodeClasses (e.g. al2023@v20250101); set it, or set backend: auto-mode',
        ),
      );
    }
    if (capacity.controller === undefined) {
      problems.push(
        at(
          'capacity-backend-settings',
          ['capacity'],
          "backend karpenter needs controller (roleArn, interruptionQueue): the Karpenter controller's IRSA role and spot interruption queue; set it, or set backend: auto-mode",
        ),
      );
    }
    return problems;
  }

  if (addons?.karpenter !== undefined) {
    problems.push(
      at(
        'auto-mode-no-karpenter-controller',
        ['addons', 'karpenter'],
        'EKS Auto Mode runs Karpenter itself: a second controller would act on the same NodePools; remove addons.karpenter (capacity.controller is then unused)',
      ),
    );
  }
  const maxSeconds = goDurationSeconds(AUTO_MODE_MAX_NODE_LIFETIME)!;
  const expireAfter = capacity.driverNodes?.expireAfter;
  const grace = capacity.driverNodes?.terminationGracePeriod ?? AUTO_MODE_DEFAULT_TERMINATION_GRACE_PERIOD;
  const graceSeconds = goDurationSeconds(grace);
  if (expireAfter === 'Never') {
    problems.push(
      at(
        'auto-mode-node-lifetime',
        ['capacity', 'driverNodes', 'expireAfter'],
        `Auto Mode replaces every node after at most 21 days (${AUTO_MODE_MAX_NODE_LIFETIME}), so "Never" does not hold; set a duration such that expireAfter plus terminationGracePeriod (${grace}) is at most ${AUTO_MODE_MAX_NODE_LIFETIME}, e.g. 336h`,
      ),
    );
  } else if ((expireAfter === undefined || typeof expireAfter === 'string') && graceSeconds !== undefined) {
    const expireSeconds = goDurationSeconds(expireAfter ?? AUTO_MODE_DEFAULT_EXPIRE_AFTER);
    if (expireSeconds !== undefined && expireSeconds + graceSeconds > maxSeconds) {
      const room = Math.floor((maxSeconds - graceSeconds) / 3600);
      if (expireAfter !== undefined) {
        problems.push(
          at(
            'auto-mode-node-lifetime',
            ['capacity', 'driverNodes', 'expireAfter'],
            `${expireAfter} plus the drain's terminationGracePeriod ${grace} passes Auto Mode's 21-day node lifetime (${AUTO_MODE_MAX_NODE_LIFETIME}): the node is replaced while the drain still waits for running drivers, and they are killed; set expireAfter to at most ${room}h`,
          ),
        );
      } else {
        // The driver pool then expires after Auto Mode's own 336h, which the drain must fit after too.
        const graceRoom = Math.floor((maxSeconds - expireSeconds) / 3600);
        problems.push(
          at(
            'auto-mode-node-lifetime',
            ['capacity', 'driverNodes', 'terminationGracePeriod'],
            `${grace} after the driver pool's default expireAfter ${AUTO_MODE_DEFAULT_EXPIRE_AFTER} passes Auto Mode's 21-day node lifetime (${AUTO_MODE_MAX_NODE_LIFETIME}): the node is replaced while the drain still waits for running drivers, and they are killed; set terminationGracePeriod to at most ${graceRoom}h, or set expireAfter to at most ${Math.max(room, 0)}h`,
          ),
        );
      }
    }
  }
  const builtIn = capacity.autoMode?.builtInNodePools ?? ['system'];
  const addonPool = capacity.autoMode?.addonNodePool ?? 'system';
  const wanted = (['prometheus', 'historyServer', 'jupyterhub'] as const).filter(
    (name) => addons?.[name] !== undefined,
  );
  if (wanted.length > 0 && Array.isArray(builtIn) && !builtIn.includes(addonPool)) {
    problems.push(
      at(
        'auto-mode-addon-pool',
        ['capacity', 'autoMode', 'addonNodePool'],
        `the add-ons (${wanted.map((name) => `addons.${name}`).join(', ')}) run on the built-in pool ${addonPool}, which builtInNodePools does not enable: their pods would stay Pending; add ${addonPool} to capacity.autoMode.builtInNodePools`,
      ),
    );
  }
  return problems;
}
