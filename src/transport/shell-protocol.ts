// The framing between provision and ONE persistent bash per (host, become user), shared by the SSH and
// local transports. Opening a channel per command costs ~44 ms; a request to a running shell costs ~1 ms.
//
// Request (to the shell's stdin), for a batch of n commands:
//   "<S> <id> <n>\n"  then per command  "<timeoutMs> <stdinBytes> <how> <commandBytes>\n" <command bytes> <stdin bytes>
// The command is read with `read -N` (its byte count, in the C locale: a count of bytes) and stdin with
// `head -c`; neither reads past its count, so the stream stays in step and stdin never touches argv.
// Not `read -d ''`: bash cannot read ahead on a pipe and so takes a delimited read a byte per system
// call, about 1.4 ms a kilobyte of script on a small guest; a counted read takes the bytes at once.
// <how> says how the command runs (RUN_MODES): a fresh `bash -c CMD` (no cd/variable leaks), or, for
// the engine's own read-only probes, a forked copy of the shell (`( eval CMD )`: no exec, a third of
// the cost: on a busy host each process start costs milliseconds of CPU, and a no-op run is made of
// probes). Either way stdout/stderr go to files in a private temp dir, so whatever a command prints
// cannot be mistaken for framing; the command leads its own process group (job control is on while it
// runs, or `timeout`'s own group), a child of the shell, so an interrupt can end the whole group
// (interruptScript), and it runs without the shell's lock descriptor (fd 9, run-lock.ts).
// Response (from the shell's stdout):
//   "<S> info <b64>\n"                                          at most once, before ready: what a preamble read
//   "<S> ready <pid>\n"                                        once, when the shell has started
//   "<S> <id> <code> <elapsedUs> =\n" <stdout> "\0" <stderr> "\0"  per command, in order: the bytes as they are
//   "<S> <id> <code> <elapsedUs> <b64 stdout> <b64 stderr>\n"   instead, when an output holds a NUL byte (a
//                                                                bash string cannot), or for a binary read
//   "<S> <id> done\n"                                           end of the request
// The raw form needs no process (bash's mapfile and printf); base64 costs one per output. <S> is a
// random per-session sentinel; base64 cannot contain spaces or newlines.

import { randomBytes } from 'node:crypto';

export function newSentinel(): string {
  return `PRV${randomBytes(12).toString('hex')}`;
}

/** How a command runs, as sent in its request header. */
export const RUN_MODES = {
  /** A fresh `bash -c`: for anything a user or a module's action runs. */
  fresh: 'x',
  /** A forked copy of the driver shell: for the engine's read-only probe snippets (no `$$`, no exec). */
  fork: 'f',
  /**
   * As fork, started at once with the request's other parallel commands (none of them has stdin or a
   * timeout): the probes of a batch read the host side by side, and their results still come in order.
   */
  parallel: 'p',
  /** A fresh `bash -c` whose output is sent as base64 (file reads: byte-exact at base64's speed). */
  binary: 'b',
} as const;

/** Every variable the driver (and its preamble and watchdog) sets: unset in a forked command. */
const DRIVER_VARIABLES = 'S L d w a s p line r id n i t k m cl in t0 ts rc t1 o e q j';

/** Seconds the shell waits after SIGTERM before SIGKILL for a command that timed out. */
export const KILL_AFTER_SECONDS = 2;

/** The bash program run by the persistent shell (passed with `bash -c`; it holds no secrets). */
export function driverScript(sentinel: string, preamble = ''): string {
  return `S=${sentinel}
${preamble}# The redirection outside $( ): bash then execs mktemp in the substitution's own process.
{ d=$(mktemp -d /dev/shm/provision.XXXXXXXX); } 2>/dev/null || d=$(mktemp -d) || exit 97
${watchdog()}trap 'rm -rf -- "$d"; kill "$w" 2>/dev/null' EXIT
trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 141' PIPE; trap 'exit 143' TERM
cd ~ 2>/dev/null || cd /
printf '%s ready %s\\n' "$S" "$$"
# The result of the command that wrote $d/o$1 and $d/e$1: exit code $2, started at $3 (mode $4).
answer() {
  t1=\${EPOCHREALTIME//[!0-9]/}
  # read -d '' succeeds only when it meets a NUL byte.
  if [[ $4 != ${RUN_MODES.binary} ]] && ! IFS= read -r -d '' _ <"$d/o$1" && ! IFS= read -r -d '' _ <"$d/e$1"; then
    o=(); e=()
    [[ -s $d/o$1 ]] && mapfile -d '' o <"$d/o$1"
    [[ -s $d/e$1 ]] && mapfile -d '' e <"$d/e$1"
    printf '%s %s %s %s =\\n%s\\0%s\\0' "$S" "$id" "$2" "$((t1 - $3))" "\${o[0]-}" "\${e[0]-}"
  else
    printf '%s %s %s %s ' "$S" "$id" "$2" "$((t1 - $3))"
    [[ -s $d/o$1 ]] && base64 -w0 <"$d/o$1"
    printf ' '
    [[ -s $d/e$1 ]] && base64 -w0 <"$d/e$1"
    printf '\\n'
  fi
}
# A probe, in the process it is given (a fork of this shell): the driver's variables and functions are
# not its business (bash -c would not see them either). One line for both modes: bash's messages name it.
probe() { set +m; unset -v ${DRIVER_VARIABLES}; unset -f answer answer_started probe; eval "unset -v c; $c"; }
# The parallel commands started and not answered yet ("index pid start" each), answered in order.
q=()
answer_started() {
  for j in "\${q[@]}"; do
    set -- $j
    wait "$2"
    answer "$1" $? "$3" ${RUN_MODES.parallel}
  done
  q=()
}
while IFS= read -r line; do
  [[ $line == "$S "* ]] || continue
  r=\${line#"$S "}; id=\${r%% *}; n=\${r#* }
  for ((i = 0; i < n; i++)); do
    IFS=' ' read -r t k m cl || exit 0
    c=; if ((cl > 0)); then LC_ALL=C IFS= read -r -N "$cl" c || exit 0; fi
    # Job control for the command only: it leads a process group of its own, while the shell's helpers
    # (head, base64) stay in the shell's group, out of interruptScript's reach.
    if [[ $m == ${RUN_MODES.parallel} ]]; then
      t0=\${EPOCHREALTIME//[!0-9]/}
      set -m
      probe </dev/null >"$d/o$i" 2>"$d/e$i" 9>&- &
      q+=("$i $! $t0")
      set +m
      continue
    fi
    answer_started
    if ((k > 0)); then head -c "$k" >"$d/i" || exit 98; in=$d/i; else in=/dev/null; fi
    t0=\${EPOCHREALTIME//[!0-9]/}
    set -m
    if ((t > 0)); then
      printf -v ts '%d.%03d' $((t / 1000)) $((t % 1000))
      timeout -k ${KILL_AFTER_SECONDS} "$ts" bash -c "$c" <"$in" >"$d/o" 2>"$d/e" 9>&-
    elif [[ $m == ${RUN_MODES.fork} ]]; then
      ( probe ) <"$in" >"$d/o" 2>"$d/e" 9>&-
    else
      bash -c "$c" <"$in" >"$d/o" 2>"$d/e" 9>&-
    fi
    rc=$?
    set +m
    ((k > 0)) && : >"$d/i"
    answer '' "$rc" "$t0" "$m"
  done
  answer_started
  printf '%s %s done\\n' "$S" "$id"
done
`;
}

/**
 * Bash lines that end the commands a shell (pid `shellPid`, a number or `$$`) is running: each is a
 * child of the shell that leads its own process group; the whole group gets SIGTERM, then SIGKILL if
 * any of it is still there after KILL_AFTER_SECONDS. The shell's short-lived helpers (head, base64)
 * are in the shell's own group: spared.
 */
function killCommandGroups(shellPid: string): string {
  return `g=$(ps -o pid=,pgid= --ppid ${shellPid} | while read -r p q; do [ "$p" = "$q" ] && echo "$p"; done)
if [ -n "$g" ]; then
  for p in $g; do kill -TERM -- "-$p" 2>/dev/null; done
  for ((i = 0; i < ${KILL_AFTER_SECONDS * 10}; i++)); do
    alive=
    for p in $g; do kill -0 -- "-$p" 2>/dev/null && alive=1; done
    [ -n "$alive" ] || break
    sleep 0.1
  done
  for p in $g; do kill -KILL -- "-$p" 2>/dev/null; done
fi
`;
}

/** Ends the commands the shell `shellPid` is running (run as the shell's user, in a process of its own). */
export function interruptScript(shellPid: number): string {
  if (!Number.isInteger(shellPid) || shellPid <= 1) throw new Error(`internal: bad shell pid ${shellPid}`);
  return `${killCommandGroups(String(shellPid))}exit 0
`;
}

/**
 * The shell's watchdog: when the process that started the shell is gone (sshd's session process when
 * the connection died, or provision itself with a local connection; sudo is looked through), it ends
 * the commands in flight and the shell, which releases the run lock. Its stdio is not the shell's, so
 * it never holds the channel open.
 */
function watchdog(): string {
  // sudo's parent is read from /proc/PID/stat with builtins: `ps` cost a fork, an exec and a /proc scan
  // (about 30 ms of a small host's CPU) at every shell start. The fields after the last ") " are
  // "state ppid ...", the command name before it may hold spaces and parentheses.
  return `a=$PPID
while read -r c 2>/dev/null <"/proc/$a/comm" && [ "$c" = sudo ]; do
  s=; read -r s 2>/dev/null <"/proc/$a/stat"; s=\${s##*) }; s=\${s#* }; p=\${s%% *}
  [[ $p =~ ^[0-9]+$ ]] || break
  a=$p
done
# It waits with \`read -t 1\` on a FIFO that it holds open itself (never any data, never EOF): a
# \`sleep 1\` was a process every second, for every shell, for the whole run.
mkfifo -m 600 "$d/tick" 2>/dev/null
( if [ -p "$d/tick" ] && exec 3<>"$d/tick"; then pause() { read -r -t 1 -u 3 _; }; else pause() { sleep 1; }; fi
  while [ -e "/proc/$a" ] && [ -e "/proc/$$" ]; do pause; done
  [ -e "/proc/$$" ] || exit 0
${killCommandGroups('$$')}  kill -TERM $$ 2>/dev/null; sleep ${KILL_AFTER_SECONDS}; kill -KILL $$ 2>/dev/null
) </dev/null >/dev/null 2>&1 9>&- &
w=$!
`;
}

export interface ShellCommand {
  command: string;
  /** How it runs (default fresh): see RUN_MODES. */
  how?: keyof typeof RUN_MODES;
  stdin?: Buffer;
  /** Killed after this long (0 or undefined: no limit). */
  timeoutMs?: number;
}

export interface RawResult {
  code: number;
  stdout: Buffer;
  stderr: Buffer;
  timedOut: boolean;
  elapsedMs: number;
}

/** Exit codes of `timeout`: 124 after SIGTERM, 128+9 when SIGKILL was needed. */
const TIMEOUT_CODES = new Set([124, 137]);

export function encodeRequest(sentinel: string, id: number, commands: readonly ShellCommand[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`${sentinel} ${id} ${commands.length}\n`)];
  for (const c of commands) {
    if (c.command.includes('\0')) throw new Error('a command line cannot contain a NUL byte');
    const stdin = c.stdin ?? Buffer.alloc(0);
    const timeout = Math.max(0, Math.ceil(c.timeoutMs ?? 0));
    const command = Buffer.from(c.command);
    parts.push(Buffer.from(`${timeout} ${stdin.length} ${RUN_MODES[c.how ?? 'fresh']} ${command.length}\n`), command, stdin);
  }
  return Buffer.concat(parts);
}

export type ResponseLine =
  | { kind: 'ready'; pid: number }
  | { kind: 'info'; data: Buffer }
  | { kind: 'result'; id: number; code: number; elapsedUs: number; stdout: Buffer; stderr: Buffer }
  /** A result whose outputs follow the line as raw bytes, each ended by a NUL (ResponseReader reads them). */
  | { kind: 'raw-result'; id: number; code: number; elapsedUs: number }
  | { kind: 'done'; id: number }
  /** Not ours (should not happen: commands never write to the shell's stdout). */
  | { kind: 'noise'; text: string };

export function parseResponseLine(sentinel: string, line: Buffer): ResponseLine {
  const text = line.toString('latin1');
  const f = text.split(' ');
  if (f[0] !== sentinel) return { kind: 'noise', text: line.toString('utf8') };
  if (f[1] === 'ready' && f.length === 3) return { kind: 'ready', pid: Number(f[2]) };
  if (f[1] === 'info' && f.length === 3) return { kind: 'info', data: Buffer.from(f[2] ?? '', 'base64') };
  if (f.length === 3 && f[2] === 'done') return { kind: 'done', id: Number(f[1]) };
  if (f.length === 5 && f[4] === '=') return { kind: 'raw-result', id: Number(f[1]), code: Number(f[2]), elapsedUs: Number(f[3]) };
  if (f.length === 6) {
    return {
      kind: 'result',
      id: Number(f[1]),
      code: Number(f[2]),
      elapsedUs: Number(f[3]),
      stdout: Buffer.from(f[4] ?? '', 'base64'),
      stderr: Buffer.from(f[5] ?? '', 'base64'),
    };
  }
  return { kind: 'noise', text: line.toString('utf8') };
}

/** Turns a result line into a RawResult, recognising a kill by `timeout` (not a command's own 124). */
export function toRawResult(
  line: Extract<ResponseLine, { kind: 'result' }>,
  command: ShellCommand,
): RawResult {
  const limit = command.timeoutMs ?? 0;
  const elapsedMs = line.elapsedUs / 1000;
  // EPOCHREALTIME is missing before bash 5 (elapsed 0): then trust the exit code alone.
  const timedOut = limit > 0 && TIMEOUT_CODES.has(line.code) && (line.elapsedUs === 0 || elapsedMs >= limit * 0.9);
  let stderr = line.stderr;
  if (timedOut) {
    stderr = Buffer.concat([stderr, Buffer.from(`provision: command timed out after ${limit} ms and was killed\n`)]);
  }
  return { code: line.code, stdout: line.stdout, stderr, timedOut, elapsedMs };
}

/** Splits a byte stream at a delimiter without quadratic copying (a line may be many MB of base64). */
class Splitter {
  private pending: Buffer[] = [];

  /** The next piece ended by `delimiter` from `chunk` at `start`: [piece, next start], or undefined (kept). */
  next(chunk: Buffer, start: number, delimiter: number): [Buffer, number] | undefined {
    const at = chunk.indexOf(delimiter, start);
    if (at === -1) {
      if (start < chunk.length) this.pending.push(chunk.subarray(start));
      return undefined;
    }
    const piece = chunk.subarray(start, at);
    const whole = this.pending.length ? Buffer.concat([...this.pending, piece]) : piece;
    this.pending = [];
    return [whole, at + 1];
  }
}

/**
 * Turns the shell's stdout into response messages: lines, except after a raw result's line, where the
 * command's stdout and stderr follow as bytes, each ended by a NUL.
 */
export class ResponseReader {
  private readonly splitter = new Splitter();
  private raw: { head: Extract<ResponseLine, { kind: 'raw-result' }>; stdout?: Buffer } | undefined;

  constructor(
    private readonly sentinel: string,
    private readonly onMessage: (message: ResponseLine) => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const raw = this.raw;
      const found = this.splitter.next(chunk, start, raw ? 0x00 : 0x0a);
      if (!found) return;
      const [piece, next] = found;
      start = next;
      if (!raw) {
        const message = parseResponseLine(this.sentinel, piece);
        if (message.kind === 'raw-result') this.raw = { head: message };
        else this.onMessage(message);
      } else if (raw.stdout === undefined) {
        // Copied: the chunk's memory is reused by the stream.
        raw.stdout = Buffer.from(piece);
      } else {
        this.raw = undefined;
        const { id, code, elapsedUs } = raw.head;
        this.onMessage({ kind: 'result', id, code, elapsedUs, stdout: raw.stdout, stderr: Buffer.from(piece) });
      }
    }
  }
}
