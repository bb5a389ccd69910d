// The README's rule tables, generated from RULES: one table per topic between `<!-- rules:<topic> -->` and
// `<!-- /rules:<topic> -->`, one row per documented rule (rules that share a row are listed in its first column).
import { RULES, RULE_IDS, type RuleId, type RuleTopic } from './rules.js';

/** The second column's header of each topic's table. */
const COLUMN: Record<RuleTopic, string> = {
  'environment-file': 'the environment file',
  'tenant-files': 'a tenant file',
  promotion: 'an environment runs',
  'rendered-objects': 'every rendered object',
  platform: 'the platform guarantees',
  'capacity-backends': 'the platform guarantees',
  'aws-documents': 'the rendered document fits',
};

const idCell = (id: RuleId) => `\`${id}\`${RULES[id].severity === 'warning' ? ' (warning)' : ''}`;

/**
 * The Markdown table of one topic. Throws when a rule joins a row no rule of that topic owns, or when a row with a
 * label (its first column) has a text that does not name each of its rules.
 */
export function ruleTable(topic: RuleTopic): string {
  const rows = new Map<RuleId, RuleId[]>();
  for (const id of RULE_IDS.filter((rule) => RULES[rule].topic === topic)) {
    const docs = RULES[id].docs;
    if (typeof docs === 'string') rows.set(id, [id, ...(rows.get(id) ?? [])]);
  }
  for (const id of RULE_IDS.filter((rule) => RULES[rule].topic === topic)) {
    const docs = RULES[id].docs;
    if (typeof docs === 'string') continue;
    const row = rows.get(docs.row as RuleId);
    if (!row)
      throw new Error(`rule ${id} joins the row of ${docs.row}, which is no ${topic} rule with a text of its own`);
    row.push(id);
  }
  const lines = [`| rule | ${COLUMN[topic]} |`, '|---|---|'];
  for (const [lead, ids] of rows) {
    const spec = RULES[lead];
    const unnamed = ids.filter((id) => spec.label !== undefined && !(spec.docs as string).includes(`\`${id}\``));
    if (unnamed.length > 0)
      throw new Error(
        `the row "${spec.label}" names no ${unnamed.join(', ')}: its text must, as its first column does not`,
      );
    lines.push(`| ${spec.label ?? ids.map(idCell).join(', ')} | ${spec.docs as string} |`);
  }
  return lines.join('\n');
}

const TOPIC_BLOCK = /(<!-- rules:([a-z-]+) -->)[\s\S]*?(<!-- \/rules:\2 -->)/g;

/** `markdown` with every `<!-- rules:<topic> -->` block replaced by that topic's table. */
export function withRuleTables(markdown: string): string {
  return markdown.replace(TOPIC_BLOCK, (_block, open: string, topic: string, close: string) => {
    if (!Object.hasOwn(COLUMN, topic))
      throw new Error(`no rule topic "${topic}"; topics: ${Object.keys(COLUMN).join(', ')}`);
    return `${open}\n${ruleTable(topic as RuleTopic)}\n${close}`;
  });
}
