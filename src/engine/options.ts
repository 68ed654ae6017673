// What a run was asked to do, after the CLI parsed its flags.

export interface RunOptions {
  check: boolean;
  diff: boolean;
  /** Hosts worked on at the same time. */
  forks: number;
  tags: string[];
  skipTags: string[];
  /** Host pattern that restricts every play's hosts. */
  limit?: string;
  startAtTask?: string;
  extraVars: Record<string, unknown>;
  forceHandlers: boolean;
  trustOnFirstUse: boolean;
  connectTimeoutMs: number;
  /** Where to write the failed hosts (false: do not write). */
  retryFile: string | false;
  /** The number of -v flags: reporters show more, and `debug` tasks with a `verbosity` above it are skipped. */
  verbosity: number;
  /** Wait this long for another run's lock on a host (0: refuse at once). */
  lockTimeoutSeconds: number;
  /**
   * How many tasks a host plans together, their probes shared (plan-prefetch.ts): 1 plans each task
   * alone, as it comes.
   */
  probeWindow: number;
  /** Where hosts keep provision's state (run lock, pending handlers); default /var/lib/provision. */
  stateDir?: string;
}

export const defaultRunOptions: RunOptions = {
  check: false,
  diff: false,
  forks: 10,
  tags: [],
  skipTags: [],
  extraVars: {},
  forceHandlers: false,
  trustOnFirstUse: false,
  connectTimeoutMs: 15_000,
  retryFile: false,
  verbosity: 0,
  lockTimeoutSeconds: 0,
  probeWindow: 24,
};
