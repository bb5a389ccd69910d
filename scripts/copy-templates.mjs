// Copies the packages' text templates (`*.md.hbs`, read at run time next to the module that renders them) from
// `src/` to `dist/`, which tsc leaves out: `emr-gitops render` runs from `dist/`, and the packages ship it. A template
// gone from `src/` is removed from `dist/` too, so a stale copy can never be rendered.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const templatesBelow = (folder) =>
  (existsSync(folder) ? readdirSync(folder, { recursive: true, withFileTypes: true }) : [])
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md.hbs'))
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)));

const root = new URL('..', import.meta.url).pathname;
for (const pkg of readdirSync(join(root, 'packages'), { withFileTypes: true })) {
  if (!pkg.isDirectory()) continue;
  const src = join(root, 'packages', pkg.name, 'src');
  const dist = join(root, 'packages', pkg.name, 'dist');
  const templates = templatesBelow(src);
  for (const template of templates) {
    mkdirSync(dirname(join(dist, template)), { recursive: true });
    cpSync(join(src, template), join(dist, template));
  }
  for (const stale of templatesBelow(dist).filter((template) => !templates.includes(template)))
    rmSync(join(dist, stale));
}
