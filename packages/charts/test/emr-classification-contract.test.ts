import { describe, expect, it } from 'vitest';
import { classificationContractViolations } from '@emr-eks-gitops/core';
import { renderCommittedEnvironments } from './committed-environments.js';

// Every EMR request document every committed environment renders, read against the classification keys of the EMR on
// EKS guide (the contract's data): an unknown classification or key would be silently ignored by EMR.
const documents = renderCommittedEnvironments().flatMap(({ name, result }) =>
  [...result.files.entries()]
    .filter(([path]) =>
      /^artifacts\/tenants\/.+\/(configuration-overrides|start-job-run|job-template)\.json$/.test(path),
    )
    .map(([path, text]) => ({ where: `${name}/${path}`, document: JSON.parse(text) })),
);
const applicationConfiguration = (document: any) =>
  (document.configurationOverrides ?? document.jobTemplateData?.configurationOverrides ?? document)
    .applicationConfiguration;

describe('EMR classification contract, on every rendered request document', () => {
  it('covers configuration overrides, StartJobRun and job templates of every variant', () => {
    expect(documents.length).toBeGreaterThanOrEqual(40);
    for (const kind of ['configuration-overrides', 'start-job-run', 'job-template']) {
      expect(
        documents.some(({ where }) => where.endsWith(`${kind}.json`)),
        kind,
      ).toBe(true);
    }
    expect(documents.some(({ where }) => where.includes('/classes/'))).toBe(true);
    expect(documents.some(({ where }) => where.includes('/single-zone/'))).toBe(true);
  });

  it('uses only classifications and keys EMR reads', () => {
    for (const { where, document } of documents) {
      const entries = applicationConfiguration(document);
      expect(entries?.length, where).toBeGreaterThan(0);
      expect(classificationContractViolations(entries), where).toEqual([]);
    }
  });

  it('finds an unknown classification and a misspelt key', () => {
    expect(
      classificationContractViolations([
        { classification: 'emr-job-submiter', properties: {} },
        {
          classification: 'emr-job-submitter',
          properties: {
            'jobsubmitter.nodeselector.zone': 'a',
            'jobsubmitter.annotation.': 'x',
            'jobsubmitter.label.team': 'ml',
          },
        },
        {
          classification: 'emr-containers-defaults',
          properties: { 'job-start-timeout': '1800', 'job.start.timeout': '1800' },
        },
      ]).map((violation) => violation.path),
    ).toEqual([
      [0, 'classification'],
      [1, 'properties', 'jobsubmitter.nodeselector.zone'],
      [1, 'properties', 'jobsubmitter.annotation.'],
      [2, 'properties', 'job.start.timeout'],
    ]);
  });
});
