// Handlers are never lost: the notifications a run could not run (a later task failed, the host
// failed, the run was interrupted) are recorded on the host, in STATE_DIR/handlers-NAME.json (written
// atomically), read back with the run lock (no extra round trip) and run at the end of the next run of
// a play that defines a handler for them, even when nothing changes then; cleared once they ran.

/** The notification names (handler names or listen topics) in the host's file; [] when none or unreadable. */
export function parsePendingHandlers(text: string): string[] {
  if (text.trim() === '') return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}
