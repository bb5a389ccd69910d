import { readdirSync, readFileSync } from 'node:fs';
import type { FakeAccount } from './fake-account.js';
import type { FakePolicy } from './fake-iam-policy.js';

/** The committed IAM documents of an environment (dist-manifests/<env>/artifacts/iam/), as a person would put them. */
const folder = (env: string) => new URL(`../../../../dist-manifests/${env}/artifacts/iam/`, import.meta.url);

/** Role name -> its rendered permissions policy. */
export function renderedRolePolicies(env: string): Map<string, FakePolicy> {
  return new Map(
    readdirSync(folder(env))
      .filter((file) => file !== 'managed-policy-attachments.json')
      .map((file) => [
        file.replace(/\.json$/, ''),
        JSON.parse(readFileSync(new URL(file, folder(env)), 'utf8')) as FakePolicy,
      ]),
  );
}

/** Role name -> the managed policy ARNs the environment attaches to it. */
export function renderedAttachments(env: string): Map<string, string[]> {
  const entries = JSON.parse(readFileSync(new URL('managed-policy-attachments.json', folder(env)), 'utf8')) as {
    roleArn: string;
    managedPolicyArns: string[];
  }[];
  return new Map(entries.map((entry) => [entry.roleArn.split('/').pop()!, entry.managedPolicyArns]));
}

/** Every role of the environment exists with exactly its rendered document put and its managed policies attached. */
export function putRenderedIam(account: FakeAccount, env: string): void {
  const emptyTrust = { Version: '2012-10-17', Statement: [] };
  for (const [name, policy] of renderedRolePolicies(env)) {
    const role = account.roles.get(name) ?? { trust: emptyTrust };
    account.roles.set(name, { ...role, allow: [], policies: [policy] });
  }
  for (const [name, arns] of renderedAttachments(env)) {
    const role = account.roles.get(name) ?? { trust: emptyTrust };
    account.roles.set(name, { ...role, attached: arns });
  }
}
