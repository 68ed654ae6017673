// HTML text and attribute escaping: every value from a run (task names, messages, diffs) goes
// through here, so a file's content can never become markup or script in the report.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}
