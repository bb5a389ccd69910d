import { existsSync } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer';
import { renderMermaid } from '@mermaid-js/mermaid-cli';

/**
 * Renders Mermaid diagrams with Mermaid itself (@mermaid-js/mermaid-cli) in Debian's headless Chromium, as GitHub
 * renders them in the browser. Puppeteer's own browser download never runs (pnpm-workspace.yaml): .ci/run
 * installs the `chromium` package instead.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: apt-get install -y chromium (what .ci/run does), or set CHROMIUM_PATH`,
    );
  }
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** A ```mermaid block of a Markdown file and the line its code starts on. */
export interface MermaidBlock {
  readonly file: string;
  readonly line: number;
  readonly code: string;
}

export function mermaidBlocks(file: string, markdown: string): MermaidBlock[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map((match) => ({
    file,
    line: markdown.slice(0, match.index).split('\n').length + 1,
    code: match[1]!,
  }));
}

/** What is wrong with one rendered diagram: a parse or render error, or labels that Mermaid had to wrap. */
export async function diagramProblems(browser: Browser, block: MermaidBlock): Promise<string[]> {
  const where = `${block.file}:${block.line}`;
  let svg: string;
  try {
    const { data } = await renderMermaid(browser, block.code, 'svg', {});
    svg = Buffer.from(data).toString('utf8');
  } catch (error) {
    return [`${where}: Mermaid cannot render the diagram: ${String((error as Error).message).split('\n')[0]}`];
  }
  const problems: string[] = [];
  // Mermaid measures each HTML label against the width it wraps at (its `max-width`: flowchart.wrappingWidth for
  // nodes, a fixed 200 px for edges); one that does not fit gets `white-space: break-spaces` and is cut between words,
  // or inside a name at its hyphens.
  for (const [, labelWidth, html] of svg.matchAll(
    /<foreignObject[^>]*?width="([\d.]+)"[^>]*>([\s\S]*?)<\/foreignObject>/g,
  )) {
    const wrapAt = /max-width:\s*([\d.]+)px/.exec(html!)?.[1];
    if (wrapAt === undefined) continue; // subgraph titles: never wrapped
    if (/break-spaces/.test(html!) || Number(labelWidth) >= Number(wrapAt)) {
      const text = html!
        .replace(/<br\s*\/?>/g, ' / ')
        .replace(/<[^>]+>/g, '')
        .trim();
      problems.push(`${where}: the label "${text}" does not fit in Mermaid's ${wrapAt} px and is wrapped`);
    }
  }
  return problems;
}
