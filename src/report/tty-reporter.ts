// The live tree on a terminal: plays → tasks → one line per host, rendered by listr2.
//
// listr2 pulls work (it runs task functions); the engine pushes events. The adapter gives every
// listr2 task a function that only *waits* for the events that settle it:
// - a host line waits for that host's final result;
// - a task waits for its task_end (through a hidden subtask) and then shows a summary title;
// - a play's tasks are not known in advance and listr2 runs only the tasks a list had when it
//   started, so a play holds a chain of untitled "next task" steps: each waits for the next
//   task_start and returns [that task, the next step]. Untitled tasks draw no line and their
//   subtasks render at their own level, so the chain looks like a flat list of tasks.
// One listr2 run per play, one after the other. After the last play, diffs (and -v details) and
// the recap are printed as plain text.
//
// listr2 is loaded here only, lazily, so that commands which never render a tree stay fast.

import type { DefaultRenderer, ListrTask, ListrTaskWrapper } from 'listr2';
import type { RunEvent } from '../engine/events.js';
import { banner } from './banner.js';
import { palette, statusColor, type Palette } from './colors.js';
import { formatDuration } from './format-duration.js';
import { resultDetails, resultLines, type ResultEvent } from './format-result.js';
import { createLineWriter } from './line-writer.js';
import { closeFinishedTasks, type ClosableTask } from './listr-close-finished.js';
import { layoutShortLine } from './listr-short-line.js';
import { CHECK_MODE_BANNER } from './plain-reporter.js';
import { formatRecap } from './recap.js';
import { createFrameWriter } from './tty-frame.js';
import type { Reporter, ReporterOptions } from './types.js';

type Listr2 = typeof import('listr2');
type Ctx = Record<string, never>;
type Renderer = typeof DefaultRenderer;
type Task = ListrTask<Ctx, Renderer, Renderer>;
type Wrapper = ListrTaskWrapper<Ctx, Renderer, Renderer>;
type RecapEvent = Extract<RunEvent, { type: 'recap' }>;

const plain = (text?: string): string => text ?? '';
/** The live tree's frame interval (listr2's own spinner rate): the most it is redrawn. */
const FRAME_MS = 100;
const CURSOR_SHOW = '\u001b[?25h';
/** Distinct wrapped lines kept for reuse (a few per running task and spinner glyph). */
const WRAPPED_LINES_KEPT = 1000;

export async function createTtyReporter(options: Omit<ReporterOptions, 'mode'>): Promise<Reporter> {
  const listr2 = await import('listr2');
  return new TtyReporter(listr2, options);
}

class Deferred<T> {
  resolve!: (value: T) => void;
  readonly promise = new Promise<T>((resolve) => {
    this.resolve = resolve;
  });
}

/** An async queue: the next task of a play, or undefined once the play has ended. */
class Feed<T> {
  private readonly items: T[] = [];
  private readonly waiters: ((value: T | undefined) => void)[] = [];
  private closed = false;
  push(value: T): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(value);
    else this.items.push(value);
  }
  close(): void {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) waiter(undefined);
  }
  next(): Promise<T | undefined> {
    if (this.items.length > 0) return Promise.resolve(this.items.shift());
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

/** One host's line under a task: output shows loop items, the final result settles it. */
class HostRow {
  readonly final = new Deferred<ResultEvent | undefined>();
  private settled = false;
  private wrapper: Wrapper | undefined;
  private itemText: string | undefined;
  constructor(readonly host: string) {}
  attach(wrapper: Wrapper): void {
    this.wrapper = wrapper;
    if (this.itemText !== undefined) wrapper.output = this.itemText;
  }
  item(text: string): void {
    this.itemText = text;
    if (this.wrapper) this.wrapper.output = text;
  }
  settle(result: ResultEvent | undefined): void {
    if (this.settled) return;
    this.settled = true;
    this.final.resolve(result);
  }
}

class TaskNode {
  readonly rows = new Map<string, HostRow>();
  readonly ended = new Deferred<void>();
  readonly counts = { ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0, ignored: 0 };
  private readonly started = Date.now();
  private open = true;
  constructor(
    readonly task: string,
    readonly handler: boolean,
    hosts: readonly string[],
  ) {
    for (const h of hosts) this.rows.set(h, new HostRow(h));
  }
  get isOpen(): boolean {
    return this.open;
  }
  end(): void {
    if (!this.open) return;
    this.open = false;
    for (const row of this.rows.values()) row.settle(undefined);
    this.ended.resolve();
  }
  elapsed(): number {
    return Date.now() - this.started;
  }
}

interface PlayView {
  feed: Feed<TaskNode>;
  tasks: TaskNode[];
  title: string;
  ended: Deferred<void>;
  started: number;
}

class TtyReporter implements Reporter {
  private readonly p: Palette;
  /** listr2 runs (and direct writes) in order: one play's tree finishes before the next starts. */
  private chain: Promise<void> = Promise.resolve();
  private play: PlayView | undefined;
  private recap: RecapEvent | undefined;
  /** Every result, formatted after the tree (diffs, -v details): nothing is formatted during the run. */
  private readonly results: ResultEvent[] = [];

  constructor(
    private readonly listr2: Listr2,
    private readonly options: Omit<ReporterOptions, 'mode'>,
  ) {
    this.p = palette(options.color);
  }

  handle(event: RunEvent): void {
    switch (event.type) {
      case 'run_start':
        if (event.check) this.enqueueWrite([this.p.magenta(CHECK_MODE_BANNER)]);
        break;
      case 'play_start':
        this.startPlay(event.play, event.batch);
        break;
      case 'task_start': {
        if (!this.play) this.startPlay(event.play, undefined);
        const node = new TaskNode(event.task, event.handler, event.hosts);
        this.play!.tasks.push(node);
        this.play!.feed.push(node);
        break;
      }
      case 'result':
        this.onResult(event);
        break;
      case 'task_end':
        this.findTask(event.task, undefined, event.host)?.end();
        break;
      case 'play_end':
        this.endPlay();
        break;
      case 'warning': {
        // Written at once: while a tree renders, listr2 holds other writes and prints them after it.
        const text = `[WARNING]: ${event.host ? `${event.host}: ` : ''}${event.message}`;
        this.options.err.write(this.p.magenta(text) + '\n');
        break;
      }
      case 'recap':
        this.recap = event;
        break;
    }
  }

  async finish(): Promise<void> {
    this.endPlay();
    await this.chain;
    const out = createLineWriter(this.options.out);
    let lastTask: string | undefined;
    for (const r of this.results) {
      const details = resultDetails(r, this.options, this.p);
      if (details.length === 0) continue;
      if (r.task !== lastTask) {
        out.line('');
        out.line(this.p.bold(banner(`${r.handler ? 'RUNNING HANDLER' : 'TASK'} [${r.task}]`)));
        lastTask = r.task;
      }
      out.lines([...resultLines(r, this.p, this.options.verbose), ...details]);
    }
    if (this.recap) {
      out.line('');
      out.lines(formatRecap(this.recap, this.p));
    }
    await Promise.all([out.flush(), createLineWriter(this.options.err).flush()]);
  }

  private onResult(r: ResultEvent): void {
    this.results.push(r);
    const node = this.findTask(r.task, r.handler, r.host);
    const row = node?.rows.get(r.host);
    if (!node || !row) return;
    if (r.item !== undefined) {
      row.item(`item=${r.item} ${statusColor(this.p, r.status)(r.status)}`);
      return;
    }
    node.counts[r.status === 'failed' && r.ignored ? 'ignored' : r.status]++;
    row.settle(r);
  }

  /** The newest open node of a task; with `strategy: free` each host has its own, so match the host too. */
  private findTask(task: string, handler?: boolean, host?: string): TaskNode | undefined {
    const tasks = this.play?.tasks ?? [];
    for (let i = tasks.length - 1; i >= 0; i--) {
      const t = tasks[i]!;
      if (t.isOpen && t.task === task && (handler === undefined || t.handler === handler) && (host === undefined || t.rows.has(host))) return t;
    }
    return undefined;
  }

  private enqueueWrite(lines: string[]): void {
    const out = createLineWriter(this.options.out);
    this.chain = this.chain.then(() => out.lines(lines));
  }

  private startPlay(name: string, batch: { index: number; count: number } | undefined): void {
    this.endPlay();
    const suffix = batch ? ` (batch ${batch.index + 1}/${batch.count})` : '';
    const play: PlayView = {
      feed: new Feed<TaskNode>(),
      tasks: [],
      title: `PLAY [${name}]${suffix}`,
      ended: new Deferred<void>(),
      started: Date.now(),
    };
    this.play = play;
    this.chain = this.chain.then(() => this.runPlay(play));
  }

  private endPlay(): void {
    const play = this.play;
    if (!play) return;
    this.play = undefined;
    for (const t of play.tasks) t.end();
    play.feed.close();
    play.ended.resolve();
  }

  private async runPlay(play: PlayView): Promise<void> {
    const { Listr, ListrLogger, ProcessOutput, DefaultRenderer, ListrDefaultRendererLogLevels } = this.listr2;
    const processOutput = new ProcessOutput(
      this.options.out as NodeJS.WriteStream,
      this.options.err as NodeJS.WriteStream,
    );
    const out = this.options.out as NodeJS.WriteStream;
    // We chose the tree because *our* stream is a terminal; listr2 would otherwise check
    // process.stdout and fall back to its line renderer, so mark the renderer usable anywhere.
    // What a frame costs is kept small, because the renderer shares the CPU with the run:
    // - listr2 redraws the whole tree synchronously on every state change (several per task and
    //   host), which made the engine wait on the terminal. Here a change only asks for a frame:
    //   frames are drawn from a timer, at most one per FRAME_MS, never inside the engine's call;
    // - finished tasks are closed, so listr2 lays their lines out once (listr-close-finished.ts),
    //   and a running task's lines are wrapped once, not on every frame (format() below);
    // - a frame shows the tree's last rows, and is written only when they changed (tty-frame.ts).
    class TreeRenderer extends DefaultRenderer {
      static override nonTTY = true;
      private frame: NodeJS.Timeout | undefined;
      private lastFrame = 0;
      private readonly screen = createFrameWriter({
        write: (text) => processOutput.stdout.write(text),
        get rows() {
          return out.rows;
        },
        get columns() {
          return out.columns;
        },
      });
      private readonly restoreCursor = (): void => void processOutput.stdout.write(CURSOR_SHOW);
      constructor(...args: ConstructorParameters<Renderer>) {
        super(...args);
        this.roots = args[0];
      }
      private readonly roots: readonly ClosableTask[];
      override async render(): Promise<void> {
        await super.render();
        // An exit in the middle of a tree (a second Ctrl-C) must not leave the cursor hidden.
        process.once('exit', this.restoreCursor);
      }
      override update(): void {
        if (this.frame) return;
        const wait = Math.max(0, this.lastFrame + FRAME_MS - Date.now());
        this.frame = setTimeout(() => {
          this.frame = undefined;
          this.lastFrame = Date.now();
          closeFinishedTasks(this.roots);
          this.screen.draw(this.create());
        }, wait);
      }
      /**
       * listr2 wraps every line it draws to the terminal's width (wrap-ansi, measuring each word),
       * on every frame: a running task's lines are the same text for many frames (the spinner has
       * a few glyphs), so each distinct line is laid out once, and a short one without measuring.
       */
      private readonly wrapped = new Map<string, string[]>();
      protected override format(message: string, icon: string, level: number): string[] {
        const key = `${process.stdout.columns ?? 0}\u0000${level}\u0000${icon}\u0000${message}`;
        let lines = this.wrapped.get(key);
        if (!lines) {
          if (this.wrapped.size >= WRAPPED_LINES_KEPT) this.wrapped.clear();
          lines = layoutShortLine(message, icon, level, process.stdout.columns ?? 80) ?? super.format(message, icon, level);
          this.wrapped.set(key, lines);
        }
        return lines;
      }
      override end(): void {
        clearTimeout(this.frame);
        this.frame = undefined;
        process.removeListener('exit', this.restoreCursor);
        closeFinishedTasks(this.roots);
        // listr2 then prints the whole tree where the frame was.
        this.screen.clear();
        super.end();
      }
    }
    const root = new Listr<Ctx, Renderer, Renderer>(
      [
        {
          title: this.p.bold(play.title),
          task: (_ctx, wrapper) => {
            void play.ended.promise.then(() => {
              wrapper.title = this.p.bold(`${play.title} ${this.p.dim(formatDuration(Date.now() - play.started))}`);
            });
            return wrapper.newListr([this.nextTaskStep(play.feed)], { concurrent: true, exitOnError: false });
          },
        },
      ],
      {
        renderer: TreeRenderer,
        fallbackRenderer: TreeRenderer,
        fallbackRendererCondition: false,
        silentRendererCondition: false,
        exitOnError: false,
        // The CLI owns SIGINT; listr2's handler would exit the process itself.
        registerSignalListeners: false,
        rendererOptions: {
          collapseSubtasks: false,
          collapseErrors: true,
          logger: new ListrLogger({ useIcons: true, processOutput }),
          // listr2 colours its icons on its own judgement; --no-color must win.
          ...(this.options.color
            ? {}
            : { color: Object.fromEntries(Object.values(ListrDefaultRendererLogLevels).map((level) => [level, plain])) }),
        },
      },
    );
    try {
      await root.run();
    } catch (error) {
      this.options.err.write(`provision: the live view failed: ${String(error)}\n`);
    }
  }

  /** An untitled step that waits for the play's next task: [that task, the step after it]. */
  private nextTaskStep(feed: Feed<TaskNode>): Task {
    return {
      task: async (_ctx, wrapper) => {
        const node = await feed.next();
        if (!node) return;
        return wrapper.newListr([this.taskEntry(node), this.nextTaskStep(feed)], {
          concurrent: true,
          exitOnError: false,
          // Said on the task itself: listr2 otherwise decides from its host lines' options, which
          // it only knows once it drew them, and a task that ended between two frames never was.
          rendererOptions: { collapseSubtasks: true },
        });
      },
    };
  }

  private taskEntry(node: TaskNode): Task {
    const label = `${node.handler ? 'handler: ' : ''}${node.task}`;
    return {
      title: label,
      task: (_ctx, wrapper) => {
        const rows = [...node.rows.values()].map((row) => this.hostEntry(row));
        // Hidden subtask: keeps the task open until task_end, then shows the summary title.
        const watcher: Task = {
          task: async () => {
            await node.ended.promise;
            wrapper.title = `${label}  ${this.summary(node)}`;
          },
        };
        return wrapper.newListr([...rows, watcher], {
          concurrent: true,
          exitOnError: false,
          // Host lines fold away once a task completes, unless one of them failed.
          rendererOptions: { collapseSubtasks: true },
        });
      },
    };
  }

  private hostEntry(row: HostRow): Task {
    return {
      title: row.host,
      task: async (_ctx, wrapper) => {
        row.attach(wrapper);
        const r = await row.final.promise;
        if (!r) {
          wrapper.skip(`${row.host} ${this.p.dim('(no result)')}`);
          return;
        }
        const head = `${row.host}  ${statusColor(this.p, r.status)(r.ignored ? `${r.status} (ignored)` : r.status)}  ${this.p.dim(formatDuration(r.duration_ms))}`;
        const msg = r.msg ? `: ${r.msg}` : '';
        switch (r.status) {
          case 'ok':
          case 'changed':
            wrapper.title = head;
            return;
          case 'skipped':
            wrapper.skip(head);
            return;
          case 'failed':
            if (r.ignored) {
              wrapper.title = head + msg;
              return;
            }
            throw new Error(head + msg);
          case 'unreachable':
            throw new Error(head + msg);
        }
      },
    };
  }

  private summary(node: TaskNode): string {
    const c = node.counts;
    const parts: string[] = [];
    if (c.changed) parts.push(this.p.yellow(`changed=${c.changed}`));
    if (c.ok) parts.push(this.p.green(`ok=${c.ok}`));
    if (c.skipped) parts.push(this.p.cyan(`skipped=${c.skipped}`));
    if (c.failed) parts.push(this.p.red(`failed=${c.failed}`));
    if (c.ignored) parts.push(this.p.magenta(`ignored=${c.ignored}`));
    if (c.unreachable) parts.push(this.p.red(`unreachable=${c.unreachable}`));
    return `${parts.join(' ')}  ${this.p.dim(formatDuration(node.elapsed()))}`.trim();
  }
}
