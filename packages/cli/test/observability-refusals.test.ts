import { describe, expect, it } from 'vitest';
import { at, refused } from './support/refused.js';

/** prod's Prometheus writes to Amazon Managed Prometheus; these edits would leave nothing to write with. */
describe('render refuses an Amazon Managed Prometheus remote write that cannot work, at its line', () => {
  it('with prometheus-operator, whose Prometheus resource this project does not configure', async () => {
    const { stderr, file } = await refused('prod', (text) =>
      text.replace(/ {4}mode: server\n {4}server:\n( {6}[^\n]*\n)+/, '    mode: operator\n'),
    );
    expect(stderr).toContain(
      `environments/prod.yaml:${at(file, 'workspaceArn', 'remoteWrite:')}: addons.prometheus.remoteWrite: is only used with mode server (this project's Prometheus); with prometheus-operator set remoteWrite on your Prometheus resource`,
    );
  });

  it("an endpoint that is not an AMP workspace's remote write URL (SigV4 would sign for the wrong service)", async () => {
    const { stderr, file } = await refused('prod', (text) =>
      text.replace(/workspaceArn: arn:aws:aps:[^\n]*/, 'url: https://prometheus.example.com/api/v1/write'),
    );
    expect(stderr).toContain(
      `environments/prod.yaml:${at(file, 'https://prometheus.example.com')}: addons.prometheus.remoteWrite.url:`,
    );
  });
});
