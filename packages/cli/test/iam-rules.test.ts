import { describe, expect, it } from 'vitest';
import { at, refused } from './support/refused.js';

/** The IAM documents' rules, on configurations IAM would really refuse. */
describe('render refuses a role whose permissions policy IAM would refuse, at its line', () => {
  it('one job execution role for eight tenants: put-role-policy would fail with LimitExceeded', async () => {
    const { stderr, file } = await refused('dev', (text) => {
      const ml = text.slice(text.indexOf('  - name: ml\n'));
      const copies = [2, 3, 4, 5, 6].map((n) =>
        ml
          .replace('- name: ml', `- name: ml${n}`)
          .replace('namespace: spark-ml', `namespace: spark-ml${n}`)
          .replace('role/emr-dev-ml-job-execution', 'role/emr-dev-app-dev-job-execution'),
      );
      return `${text.replace('role/emr-dev-data-eng-job-execution', 'role/emr-dev-app-dev-job-execution').replace('role/emr-dev-ml-job-execution', 'role/emr-dev-app-dev-job-execution')}${copies.join('')}`;
    });
    const uses = ['app-dev', 'data-eng', 'ml', 'ml2', 'ml3', 'ml4', 'ml5', 'ml6'];
    expect(stderr).toContain(
      `environments/dev.yaml:${at(file, 'arn:aws:iam::210987654321:role/emr-dev-app-dev-job-execution')}: tenants[0].executionRoleArn: the permissions policy of role emr-dev-app-dev-job-execution (artifacts/iam/emr-dev-app-dev-job-execution.json) would be 11195 characters without whitespace, over IAM's limit of 10240 for a role's inline policies (put-role-policy fails with LimitExceeded); it serves 8 uses: ${uses.map((tenant) => `job execution role of tenant ${tenant}`).join('; ')}; split it: give tenants ${uses.join(', ')} roles of their own [iam-policy-size]`,
    );
  });
});
