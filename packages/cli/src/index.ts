// Public surface of @emr-eks-gitops/cli, for scripts that drive the CLI in-process.
export { run } from './main.js';
export { CliError, EXIT, processIO, type CliIO } from './io.js';
export { findProject, loadEnvironments, renderAll, environmentNames, type Project } from './project.js';
