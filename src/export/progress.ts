/** Where progress goes: stderr, or a fake in tests. */
export interface ProgressSink {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface ProgressOptions {
  label: string;
  total: number;
  sink: ProgressSink;
  /** Clock in ms (tests). */
  now?: () => number;
  /** TTY: redraw at most this often (ms). Default 100. */
  ttyIntervalMs?: number;
  /** Not a TTY: one line at most this often (ms). Default 5000. */
  lineIntervalMs?: number;
}

const fmt = (n: number) => n.toLocaleString('en-US');

/**
 * A progress bar: on a TTY one line redrawn in place with `\r` (bar, count/total, percent, rate, ETA); elsewhere
 * (a log file, CI) a plain line every few seconds. `done()` prints the final line.
 */
export class ProgressBar {
  private readonly started: number;
  private last = 0;
  private count = 0;
  private readonly now: () => number;

  constructor(private readonly o: ProgressOptions) {
    this.now = o.now ?? Date.now;
    this.started = this.now();
  }

  update(count: number): void {
    this.count = count;
    const t = this.now();
    const interval = this.o.sink.isTTY ? (this.o.ttyIntervalMs ?? 100) : (this.o.lineIntervalMs ?? 5000);
    if (t - this.last < interval) return;
    this.last = t;
    this.render(false);
  }

  done(): void {
    this.render(true);
  }

  /** The text of the current state (without `\r` or newline). */
  line(): string {
    const elapsed = Math.max(1, this.now() - this.started) / 1000;
    const rate = this.count / elapsed;
    const total = Math.max(this.o.total, this.count);
    const fraction = total ? this.count / total : 1;
    const pct = `${Math.floor(fraction * 100)}%`.padStart(4);
    const eta = rate > 0 && total > this.count ? ` ETA ${Math.ceil((total - this.count) / rate)}s` : '';
    const width = 24;
    const filled = Math.round(fraction * width);
    const bar = this.o.sink.isTTY ? `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ` : '';
    return `${this.o.label} ${bar}${fmt(this.count)}/${fmt(total)} ${pct} ${fmt(Math.round(rate))}/s${eta}`;
  }

  private render(final: boolean): void {
    const text = this.line();
    if (this.o.sink.isTTY) this.o.sink.write(`\r${text}\x1b[K${final ? '\n' : ''}`);
    else this.o.sink.write(`${text}\n`);
  }
}
