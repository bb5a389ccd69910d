// Copies the packages' text templates (`*.md.hbs`, read at run time next to the module that renders them) from
// `src/` to `dist/`, which tsc leaves out: `emr-gitops render` runs from `dist/`, and the packages ship it.
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
for (const pkg of readdirSync(join(root, 'packages'), { withFileTypes: true })) {
  if (!pkg.isDirectory()) continue;
  const src = join(root, 'packages', pkg.name, 'src');
  let entries;
  try { entries = readdirSync(src, { recursive: true, withFileTypes: true }); } catch { continue; }
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith('.md.hbs')) continue;
    const from = join(entry.parentPath, entry.name);
    const to = join(root, 'packages', pkg.name, 'dist', relative(src, from));
    mkdirSync(dirname(to), { recursive: true });
    cpSync(from, to);
  }
}
