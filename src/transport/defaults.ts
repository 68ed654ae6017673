// Transport defaults the CLI shows in --help: kept apart from the settings parser (zod) so that
// declaring the flags loads nothing heavy.

export const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;
