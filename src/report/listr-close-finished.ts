// listr2 (9.x) keeps the rendered lines of a *closed* task and reuses them on every later frame, but
// nothing in listr2 ever marks a task closed: each frame re-wrapped and re-measured every line of the
// tree (wrap-ansi, string-width), so a frame cost grew with the play and a long play spent most of
// its CPU redrawing lines that could no longer change. A task that is final, with every task under it
// final, never changes again: this marks it closed, so that listr2 draws it once.

/** What this needs of a listr2 task (its `closed` flag is private in listr2's types, not in its code). */
export interface ClosableTask {
  /** Undefined on a task that has not returned a subtask list. */
  subtasks?: ClosableTask[];
  hasFinalized(): boolean;
  isClosed(): boolean;
}

/** True when the task and its whole subtree are final; marks each such task closed on the way. */
function closeIfFinal(task: ClosableTask): boolean {
  if (task.isClosed()) return true;
  let final = task.hasFinalized();
  // Every subtask is visited (a final one deep down is closed even while its parent still runs).
  for (const sub of task.subtasks ?? []) final = closeIfFinal(sub) && final;
  if (final) (task as unknown as { closed: boolean }).closed = true;
  return final;
}

/**
 * Closes the final subtrees under each top-level task. The top-level tasks (the plays) stay open:
 * their title changes after their subtasks end (the play's duration).
 */
export function closeFinishedTasks(roots: readonly ClosableTask[]): void {
  for (const root of roots) for (const sub of root.subtasks ?? []) closeIfFinal(sub);
}
