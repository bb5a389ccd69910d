import type { JobTemplateInfo, JobTemplatePlan } from './job-templates.js';
import { templateJson } from './job-template-report.js';

// `emr template`: the stable way to a tenant's job template through its changes. Each change makes a new template id
// (templates are immutable); schedulers ask for the current id instead of pinning one, and IAM policies that enforce
// templates name the current and the kept previous ones. EMR on EKS guide, "Controlling access to job templates": a
// StartJobRun permission on the virtual cluster with the condition `ArnLike` on `emr-containers:JobTemplateArn` lets a
// role start jobs only through those templates (the service authorization reference lists the key for StartJobRun).
// The ARNs are the ones EMR returns (`arn:<partition>:emr-containers:<region>:<account>:/jobtemplates/<id>`).

/** The StartJobRun policy of one tenant: its virtual cluster, through its current or a kept previous template only. */
export interface StartJobRunPolicy {
  readonly Version: '2012-10-17';
  readonly Statement: readonly [
    {
      readonly Sid: string;
      readonly Effect: 'Allow';
      readonly Action: 'emr-containers:StartJobRun';
      readonly Resource: string;
      readonly Condition: { readonly ArnLike: { readonly 'emr-containers:JobTemplateArn': readonly string[] } };
    },
  ];
}

export function startJobRunPolicy(virtualClusterArn: string, templates: readonly JobTemplateInfo[]): StartJobRunPolicy {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'StartJobRunThroughTheTenantsJobTemplates',
        Effect: 'Allow',
        Action: 'emr-containers:StartJobRun',
        Resource: virtualClusterArn,
        Condition: { ArnLike: { 'emr-containers:JobTemplateArn': templates.map((template) => template.arn) } },
      },
    ],
  };
}

/** What `emr template` prints for one tenant; undefined current when apply has not created it yet. */
export function templateLookup(entry: JobTemplatePlan, virtualClusterArn: string | undefined) {
  const allowed = [...(entry.current ? [entry.current] : []), ...entry.previous];
  return {
    tenant: entry.tenant,
    current: entry.current ? templateJson(entry.current) : null,
    previous: entry.previous.map(templateJson),
    startJobRunPolicy:
      virtualClusterArn !== undefined && entry.current ? startJobRunPolicy(virtualClusterArn, allowed) : null,
  };
}

/** The table form: the ids, then the policy (or why there is none). */
export function renderTemplateLookup(lookup: ReturnType<typeof templateLookup>, environment: string): string {
  const line = (label: string, template: { id: string; arn: string } | null) =>
    `${label.padEnd(9)}${template ? `${template.id}  ${template.arn}` : '-'}\n`;
  let text = `Job template of tenant ${lookup.tenant} (${environment}):\n${line('current', lookup.current)}`;
  for (const template of lookup.previous) text += line('previous', template);
  text += lookup.startJobRunPolicy
    ? `StartJobRun policy naming them (put it on the submitters' role after each emr apply):\n${JSON.stringify(lookup.startJobRunPolicy, null, 2)}\n`
    : `No StartJobRun policy: ${lookup.current ? 'the tenant has no live virtual cluster managed by emr-gitops' : 'run emr apply first'}.\n`;
  return text;
}
