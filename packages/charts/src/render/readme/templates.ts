import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';

// The README's text lives in `<name>.md.hbs` files next to this module, and an add-on's own text in its folder
// (`addons/<name>/*.md.hbs`), all below `src/` and copied to `dist/` by the build (scripts/copy-templates.mjs). Each is compiled once, on first use, in an environment of its own so the
// helpers below never leak into another user of handlebars.
const handlebars = Handlebars.create();

/** Inline code: `value`. */
const code = (value: unknown) => `\`${String(value)}\``;

handlebars.registerHelper({
  /** A list joined for prose: `join list` (", ") or `join list ' and '`. */
  join: (list: readonly unknown[], ...rest: unknown[]) => list.join(rest.length > 1 ? String(rest[0]) : ', '),
  /** Each item as inline code, joined: `codeList list` (", ") or `codeList list ' and '`. */
  codeList: (list: readonly unknown[], ...rest: unknown[]) =>
    list.map(code).join(rest.length > 1 ? String(rest[0]) : ', '),
  /** Labels or tags as inline `key=value`, joined with ", ". */
  tags: (record: Readonly<Record<string, string>>) =>
    Object.entries(record)
      .map(([key, value]) => code(`${key}=${value}`))
      .join(', '),
  /** Table cell text: pipes escaped, and `<pod>`-style placeholders kept as text rather than read as HTML. */
  cell: (text: string) => text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
  /** A Mermaid node id from a name. */
  mermaidId: (name: string) => name.replace(/[^A-Za-z0-9]/g, '_'),
});

const compiled = new Map<string, HandlebarsTemplateDelegate>();

/** The package's `src/` (or `dist/`), which an add-on's template path is below. */
const SOURCE_ROOT = new URL('../../', import.meta.url);

/** A section's name is a template of this folder; a path (`addons/karpenter/karpenter`) is an add-on's, below `src/`. */
const templateFile = (name: string) =>
  name.includes('/') ? new URL(`${name}.md.hbs`, SOURCE_ROOT) : new URL(`./${name}.md.hbs`, import.meta.url);

/** Renders the template `name` with `data`; strict: a field the data lacks is an error, not an empty string. */
export function renderTemplate(name: string, data: object): string {
  let template = compiled.get(name);
  if (!template) {
    const source = readFileSync(templateFile(name), 'utf8');
    template = handlebars.compile(source, { noEscape: true, strict: true });
    compiled.set(name, template);
  }
  return template(data);
}

/** A template rendered for the middle of a line: its file's final newline dropped. */
export function renderInline(name: string, data: object): string {
  return renderTemplate(name, data).replace(/\n$/, '');
}
