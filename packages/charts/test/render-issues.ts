import { formatConfigPath, messageText, type ConfigDiagnostic } from '@emr-eks-gitops/core';

/** A render issue as people read it: the config path it is located at, and its text as printed (rule id included). */
export const issueText = (issue: ConfigDiagnostic) => ({
  configPath: issue.location.path,
  message: messageText(issue),
});

/** A located problem as people read it: `path: text`. */
export const problemText = (problem: ConfigDiagnostic) =>
  `${formatConfigPath(problem.location.path)}: ${messageText(problem)}`;
