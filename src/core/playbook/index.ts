// Playbooks and roles: load, validate, and the model the engine runs.
export { loadPlaybook, loadRoleAsPlay, roleSearchDirs, type LoadOptions, type RoleAsPlayOptions } from './load-playbook.js';
export { validatePlaybookVariables, runtimeNames } from './validate-variables.js';
export { validatePlaybookHosts } from './validate-hosts.js';
export { locateInTask, taskLocator } from './locate.js';
export { findLocalFile, localFileCandidates } from './local-files.js';
export type * from './types.js';
