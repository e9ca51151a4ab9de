/**
 * Keras-style training progress that updates in place:
 *
 *     Epoch 1/5
 *     469/469 [==============================] - 9s 19ms/step - loss: 0.2551 - acc: 0.9263
 *     Epoch 2/5
 *     123/469 [=======>......................] - ETA: 6s - loss: 0.1234 - acc: 0.9612
 *
 * Introduced in lesson 01 (`model.fit(x, y, { callbacks: fitProgress() })`, Chollet 2.1) and used
 * by the hand-written training loops of lessons 07 and 08 (`new Progress(...)`).
 *
 * In a notebook the whole text is ONE output, replaced in place (display_id +
 * update_display_data) at most `updatesPerSecond` times a second (default 4) and always at
 * epoch boundaries; its final state — one header and one summary line per epoch — is what a saved
 * notebook keeps (`text/plain`, so tests can read the numbers). Outside a notebook nothing is
 * redrawn: each finished epoch prints its two lines to stdout.
 * Steps per epoch are ceil(samples / batchSize): 60,000 images in batches of 128 → 469 steps.
 * The per-epoch metrics are kept in `history` (`{ loss: [...], acc: [...] }`) for loss curves.
 */
import { batchCount } from "../data/batches";
import { kernelWriter, showBundle, type Display } from "./display";
import { interruptRequested, noteTraining, stopIfInterrupted, InterruptError, stoppedMessage } from "../runtime/interrupt";

export type Logs = Record<string, number>;

function fail(fn: string, msg: string): never {
  throw new Error(`progress.ts ${fn}: ${msg}`);
}


/** `[=======>......]`: `width` characters, '=' for done, '>' at the front while not finished. */
export function progressBar(current: number, total: number, width = 30): string {
  const done = Math.max(0, Math.min(width, Math.floor((width * current) / total)));
  let bar = "";
  if (done > 0) bar = "=".repeat(done - 1) + (current < total ? ">" : "=");
  return "[" + bar + ".".repeat(width - done) + "]";
}

/** Keras' ETA style: "6s", "1:05", "1:02:03". */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const two = (n: number) => String(n).padStart(2, "0");
  if (s >= 3600) return `${Math.floor(s / 3600)}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
  if (s >= 60) return `${Math.floor(s / 60)}:${two(s % 60)}`;
  return `${s}s`;
}

/** Time per step: "2s/step", "19ms/step", "850us/step". */
export function formatStepTime(secondsPerStep: number): string {
  if (secondsPerStep >= 1) return `${Math.round(secondsPerStep)}s/step`;
  if (secondsPerStep >= 1e-3) return `${Math.round(secondsPerStep * 1e3)}ms/step`;
  return `${Math.round(secondsPerStep * 1e6)}us/step`;
}

/** " - loss: 0.2551 - acc: 0.9263" (4 decimals; tiny values in exponent form, as Keras). */
export function formatMetrics(logs: Logs): string {
  return Object.entries(logs)
    .filter(([k, v]) => k !== "batch" && k !== "size" && typeof v === "number")
    .map(([k, v]) => ` - ${k}: ${Math.abs(v) > 1e-3 || v === 0 || !Number.isFinite(v) ? v.toFixed(4) : v.toExponential(4)}`)
    .join("");
}

/**
 * One progress line. While running: "123/469 [====>....] - ETA: 6s - loss: …";
 * finished: "469/469 [==========] - 9s 19ms/step - loss: …". Without a total: "123/Unknown - 5s …".
 */
export function progressLine(o: { step: number; total?: number; elapsedSeconds: number; logs: Logs; done: boolean }): string {
  const perStep = o.step > 0 ? o.elapsedSeconds / o.step : 0;
  let head: string;
  if (o.total === undefined) head = `${o.step}/Unknown`;
  else head = `${String(o.step).padStart(String(o.total).length)}/${o.total} ${progressBar(o.step, o.total)}`;
  const time = o.done || o.total === undefined
    ? ` - ${Math.round(o.elapsedSeconds)}s ${formatStepTime(perStep)}`
    : ` - ETA: ${formatEta(perStep * (o.total - o.step))}`;
  return head + time + formatMetrics(o.logs);
}

/** Lets an action through at most once per `minIntervalMs` (the first call always passes). */
export class Throttle {
  private last = -Infinity;
  constructor(readonly minIntervalMs: number, private readonly now: () => number = Date.now) {}
  /** True (and counts as done now) if enough time passed since the last accepted call. */
  ready(): boolean {
    const t = this.now();
    if (t - this.last < this.minIntervalMs) return false;
    this.last = t;
    return true;
  }
}

/** Where progress text goes; the default writes to the notebook (or stdout outside one). */
export interface ProgressOutput {
  /** true: `render` replaces one output in place; false: only `print` is used. */
  live: boolean;
  render(text: string): void;
  print(text: string): void;
}

function notebookOutput(): ProgressOutput {
  let display: Display | null = null;
  return {
    live: kernelWriter() !== null,
    render(text) {
      const data = { "text/plain": text };
      if (display) display.update(data);
      else display = showBundle(data);
    },
    print: (text) => process.stdout.write(text + "\n"),
  };
}

export interface ProgressOptions {
  epochs?: number;
  stepsPerEpoch?: number;
  /** With batchSize, gives stepsPerEpoch = ceil(samples / batchSize). */
  samples?: number;
  batchSize?: number;
  updatesPerSecond?: number;
  /** Clock in milliseconds (tests pass a fake one). */
  now?: () => number;
  output?: ProgressOutput;
}

/** Progress of a training loop: epochs of steps, with running metrics and per-epoch history. */
export class Progress {
  /** Metrics at the end of each epoch, Keras' History.history: `{ loss: [...], acc: [...] }`. */
  readonly history: Record<string, number[]> = {};
  /** Seconds each finished epoch took. */
  readonly epochSeconds: number[] = [];
  epochs?: number;
  total?: number;
  private readonly lines: string[] = [];
  private current: string | null = null;
  private epoch = -1;
  private step = 0;
  private epochStart = 0;
  private sums: Record<string, number> = {};
  private weight = 0;
  private readonly throttle: Throttle;
  private readonly now: () => number;
  private readonly out: ProgressOutput;

  constructor(opts: ProgressOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.out = opts.output ?? notebookOutput();
    const ups = opts.updatesPerSecond ?? 4;
    if (!(ups > 0)) fail("Progress", `updatesPerSecond must be > 0, got ${ups}`);
    this.throttle = new Throttle(1000 / ups, this.now);
    this.configure(opts);
    noteTraining();
  }

  /** Sets epochs / steps per epoch (fitProgress calls this with what model.fit reports). */
  configure(o: { epochs?: number; stepsPerEpoch?: number; samples?: number; batchSize?: number }): void {
    if (o.epochs !== undefined) {
      if (!(Number.isInteger(o.epochs) && o.epochs > 0)) fail("Progress", `epochs must be a whole number > 0, got ${o.epochs}`);
      this.epochs = o.epochs;
    }
    if (o.stepsPerEpoch != null) {
      if (!(Number.isInteger(o.stepsPerEpoch) && o.stepsPerEpoch > 0)) fail("Progress", `stepsPerEpoch must be a whole number > 0, got ${o.stepsPerEpoch}`);
      this.total = o.stepsPerEpoch;
    } else if (o.samples != null && o.batchSize != null) this.total = batchCount(o.samples, o.batchSize);
  }

  /** Starts epoch `epoch` (0-based; default: the next one). */
  epochBegin(epoch = this.epoch + 1): void {
    if (this.current !== null) this.epochEnd();
    this.epoch = epoch;
    this.step = 0;
    this.sums = {};
    this.weight = 0;
    this.epochStart = this.now();
    this.lines.push(this.epochs ? `Epoch ${epoch + 1}/${this.epochs}` : `Epoch ${epoch + 1}`);
    this.current = progressLine({ step: 0, total: this.total, elapsedSeconds: 0, logs: {}, done: false });
    this.draw();
  }

  /** One step (batch) done; its metrics enter the running means, weighted by `size` (batch size). */
  stepEnd(logs: Logs = {}, size = logs.size ?? 1): void {
    if (this.stopOnInterrupt) stopIfInterrupted("training", () => this.closeAt());
    if (this.current === null) this.epochBegin();
    this.step++;
    for (const [k, v] of Object.entries(logs)) {
      if (k === "batch" || k === "size" || typeof v !== "number") continue;
      this.sums[k] = (this.sums[k] ?? 0) + v * size;
    }
    this.weight += size;
    if (this.out.live && this.throttle.ready()) {
      this.current = progressLine({ step: this.step, total: this.total, elapsedSeconds: (this.now() - this.epochStart) / 1000, logs: this.means(), done: false });
      this.draw();
    }
  }

  /** Running means of the step metrics in this epoch. */
  means(): Logs {
    const m: Logs = {};
    for (const [k, s] of Object.entries(this.sums)) m[k] = s / (this.weight || 1);
    return m;
  }

  /** Ends the epoch; `logs` are its metrics (default: the running means of its steps). */
  epochEnd(logs?: Logs): void {
    if (this.current === null) return;
    const final: Logs = {};
    for (const [k, v] of Object.entries(logs ?? this.means())) if (k !== "batch" && k !== "size" && typeof v === "number") final[k] = v;
    const seconds = (this.now() - this.epochStart) / 1000;
    this.lines.push(progressLine({ step: this.step, total: this.total, elapsedSeconds: seconds, logs: final, done: true }));
    this.current = null;
    for (const [k, v] of Object.entries(final)) (this.history[k] ??= []).push(v);
    this.epochSeconds.push(seconds);
    if (this.out.live) this.draw();
    else this.out.print(this.lines.slice(-2).join("\n"));
  }

  /** Ends training: closes an open epoch and draws the final text. */
  end(): void {
    if (this.current !== null) this.epochEnd();
    else if (this.out.live && this.lines.length) this.draw();
  }

  /**
   * Stop button (issue 19): `stepEnd` throws an InterruptError once an interrupt is pending, after
   * drawing where training stopped; the hand-written loops of lessons 05–08 stop there, between
   * two whole steps. (fitProgress turns it off and stops model.fit its own way.)
   */
  stopOnInterrupt = true;

  /** "epoch 2/5, step 130/469" — where training is now. */
  position(): string {
    const epoch = this.epoch < 0 ? "before the first epoch" : `epoch ${this.epoch + 1}${this.epochs ? `/${this.epochs}` : ""}`;
    return `${epoch}, step ${this.step}${this.total !== undefined ? `/${this.total}` : ""}`;
  }

  /** Draws the partly done epoch as it is and returns its position (for an interrupt message). */
  closeAt(): string {
    const where = this.position();
    if (this.current !== null) {
      this.current = progressLine({ step: this.step, total: this.total, elapsedSeconds: (this.now() - this.epochStart) / 1000, logs: this.means(), done: false }) + " — interrupted";
      if (this.out.live) this.draw();
      else this.out.print(this.text());
    }
    return where;
  }

  /** The text shown now: one header and one line per epoch, plus the running line. */
  text(): string {
    return [...this.lines, ...(this.current === null ? [] : [this.current])].join("\n");
  }

  private draw(): void {
    if (this.out.live) this.out.render(this.text());
  }
}

/** model.fit callbacks (tfjs CustomCallbackArgs) that drive a {@link Progress}. */
export interface FitProgress {
  onTrainBegin: (logs?: Logs) => void;
  onEpochBegin: (epoch: number, logs?: Logs) => void;
  onBatchBegin: (batch: number, logs?: Logs) => void;
  onBatchEnd: (batch: number, logs?: Logs) => void;
  onEpochEnd: (epoch: number, logs?: Logs) => void;
  onTrainEnd: (logs?: Logs) => void;
  /** The progress itself: `.history`, `.epochSeconds`, `.text()`. */
  progress: Progress;
}

type FitParams = { epochs?: number; samples?: number; steps?: number | null; batchSize?: number };

/**
 * Keras-style progress for `model.fit(x, y, { epochs, batchSize, callbacks: fitProgress() })`.
 * Epochs, samples and batch size are read from what tfjs passes its callbacks (`this.params`);
 * options given here win.
 */
export function fitProgress(opts: ProgressOptions = {}): FitProgress {
  const progress = new Progress(opts);
  progress.stopOnInterrupt = false;
  // Stop button (issue 19): at the next batch boundary fit ends with an InterruptError saying where.
  // (tfjs' stopTraining needs the model, which tfjs does not give plain-object callbacks.) Before a
  // batch nothing has changed yet; after one its update is complete: the model stays consistent.
  const stopIfAsked = () => {
    if (interruptRequested()) throw new InterruptError(stoppedMessage("model.fit", progress.closeAt()));
  };
  return {
    progress,
    onTrainBegin: function (this: { params?: FitParams } | undefined) {
      const p = this?.params ?? {};
      progress.configure({
        epochs: opts.epochs ?? p.epochs,
        stepsPerEpoch: opts.stepsPerEpoch ?? p.steps ?? undefined,
        samples: opts.samples ?? p.samples,
        batchSize: opts.batchSize ?? p.batchSize,
      });
    },
    onEpochBegin: (epoch) => progress.epochBegin(epoch),
    onBatchBegin: () => stopIfAsked(),
    onBatchEnd: (_batch, logs) => {
      progress.stepEnd(logs ?? {});
      stopIfAsked();
    },
    onEpochEnd: (_epoch, logs) => progress.epochEnd(logs),
    onTrainEnd: () => progress.end(),
  };
}
