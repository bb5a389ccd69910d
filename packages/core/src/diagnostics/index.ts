export { RULES, RULE_IDS, type RuleId, type RuleSpec, type RuleTopic } from './rules.js';
export {
  atConfigPath,
  configDiagnostic,
  hasErrors,
  parseConfigPath,
  placeDiagnostic,
  type ConfigDiagnostic,
  type ConfigLocation,
  type ConfigPath,
  type Diagnostic,
  type DiagnosticLocation,
  type DiagnosticOptions,
  type ObjectDiagnostic,
  type ObjectLocation,
  type PlacedConfigDiagnostic,
  type PlacedConfigLocation,
  type Severity,
  type SourcePoint,
  type SourcePosition,
} from './diagnostic.js';
export {
  compareFindings,
  findingAnnotation,
  findingJson,
  formatConfigPath,
  formatFinding,
  formatProblem,
  messageText,
  problemJson,
  type FindingAnnotation,
} from './format.js';
export { ruleTable, withRuleTables } from './rule-tables.js';
