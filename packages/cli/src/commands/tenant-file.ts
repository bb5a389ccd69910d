import { Document, isMap, type YAMLMap } from 'yaml';
import {
  TENANT_FILES_FOLDER,
  splitEnvironmentOwned,
  type TenantFile,
  type TenantFileText,
} from '@emr-eks-gitops/charts';
import { replaceMapping } from '../yaml-text-edit.js';
import { styleTenant, type NewTenant } from './tenant-entry.js';

/**
 * A new tenant file for a tenant added to one environment: what the environment owns (roles, sizes) under
 * `environments.<env>`, the rest in `base`, for the next environments to share.
 */
export function newTenantFile(tenant: NewTenant, settings: Readonly<Record<string, unknown>>): TenantFileText {
  const { owned, promoted } = splitEnvironmentOwned(settings);
  const document = new Document({ base: promoted, environments: { [tenant.environment]: owned } });
  document.commentBefore =
    ' yaml-language-server: $schema=./schema.json\n' +
    ` The ${tenant.name} team, defined once (${tenant.size}, added by \`emr-gitops tenant add\`: review the sizes, create the role):\n` +
    ' base is what it is in every environment it is placed in, environments: what differs in each. README "Tenants defined once".';
  const base = document.get('base', true);
  const placement = document.getIn(['environments', tenant.environment], true);
  for (const map of [base, placement]) if (isMap(map)) styleTenant(map as YAMLMap);
  return { path: `${TENANT_FILES_FOLDER}/${tenant.name}.yaml`, text: document.toString({ lineWidth: 0 }) };
}

/** The tenant file with the tenant placed in one more environment: what that environment owns, from the sized defaults. */
export function placeTenant(
  file: TenantFile,
  environment: string,
  settings: Readonly<Record<string, unknown>>,
): TenantFileText {
  const section = file.source.document.get('environments', true);
  const environments = isMap(section) ? (section.toJSON() as Record<string, unknown>) : {};
  const text = replaceMapping(file.source.text, ['environments'], {
    ...environments,
    [environment]: splitEnvironmentOwned(settings).owned,
  });
  return { path: file.source.file, text };
}
