import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Browser } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagramProblems, launchChromium, mermaidBlocks, type MermaidBlock } from './support/mermaid.js';
import { REPO_ROOT } from './support/project.js';

/** Every committed README.md (the project's, the packages', each environment's), outside node_modules. */
function readmes(dir = REPO_ROOT): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? readmes(path) : entry.name === 'README.md' ? [path] : [];
  });
}

const blocks: MermaidBlock[] = readmes()
  .sort()
  .flatMap((path) => mermaidBlocks(relative(REPO_ROOT, path), readFileSync(path, 'utf8')));

describe('Mermaid diagrams of the committed READMEs, rendered by Mermaid in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('every environment README has its diagram', () => {
    for (const env of ['dev', 'staging', 'prod', 'sandbox'])
      expect(
        blocks.some((block) => block.file === `dist-manifests/${env}/README.md`),
        env,
      ).toBe(true);
  });

  it.each(blocks.map((block) => [`${block.file}:${block.line}`, block] as const))(
    '%s renders, and no label is wrapped',
    async (_, block) => {
      expect(await diagramProblems(browser, block)).toEqual([]);
    },
    60_000,
  );

  it('the check fails on what it must catch: a diagram Mermaid 11 cannot parse or lay out, and a label cut at the wrap width', async () => {
    const broken = await diagramProblems(browser, {
      file: 'x.md',
      line: 3,
      code: 'flowchart LR\n  a["a"] -- "x" --> \n',
    });
    expect(broken).toHaveLength(1);
    expect(broken[0]).toMatch(/^x\.md:3: Mermaid cannot render the diagram: /);
    const layout = await diagramProblems(browser, { file: 'x.md', line: 3, code: 'flowchart LR\n  a <-- "x" --- b\n' });
    expect(layout[0]).toMatch(/^x\.md:3: Mermaid cannot render the diagram: /);
    const wrapped = await diagramProblems(browser, {
      file: 'x.md',
      line: 3,
      code: 'flowchart LR\n  p[("spark-memory-nvme-executor-nvme-on-demand")] -- "executors, on-demand fallback for the jobs" --> q\n',
    });
    expect(wrapped).toEqual([
      'x.md:3: the label "executors, on-demand fallback for the jobs" does not fit in Mermaid\'s 200 px and is wrapped',
      'x.md:3: the label "spark-memory-nvme-executor-nvme-on-demand" does not fit in Mermaid\'s 200 px and is wrapped',
    ]);
  }, 60_000);
});
