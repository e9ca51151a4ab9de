/**
 * A small seedable random number generator, so every experiment in the lessons is reproducible.
 * Introduced in lesson 06 (weight initialisation) and used by lessons 05–08 (dropout masks,
 * mini-batch sampling). It plays the role of `np.random` in Saito's code.
 *
 * - uniform numbers: mulberry32, a 32-bit generator that is tiny and good enough for teaching;
 * - normal numbers: the Box–Muller transform (two uniforms → two independent N(0, 1) values).
 */

export interface RngState {
  readonly state: number;
  readonly spareNormal: number | null;
}

export class Rng {
  private state = 0;
  private spareNormal: number | null = null;

  constructor(seed = 0) {
    this.seed(seed);
  }

  /** Restarts the sequence, like `np.random.seed(seed)`. */
  seed(seed: number): this {
    if (!Number.isFinite(seed)) throw new Error(`Rng.seed: seed must be a finite number, got ${seed}`);
    this.state = Math.floor(seed) >>> 0;
    this.spareNormal = null;
    return this;
  }

  /** A snapshot of the generator; `restoreState` makes it repeat the same numbers from there. */
  saveState(): RngState {
    return { state: this.state, spareNormal: this.spareNormal };
  }

  restoreState(saved: RngState): void {
    this.state = saved.state;
    this.spareNormal = saved.spareNormal;
  }

  /** A uniform number in [0, 1) (mulberry32). */
  random(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A standard normal number N(0, 1) (Box–Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return z;
    }
    let u = 0;
    while (u === 0) u = this.random(); // log(0) would be -Infinity
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** An integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new Error(`Rng.int: n must be a positive integer, got ${n}`);
    return Math.floor(this.random() * n);
  }

  /** `size` normal numbers times `std` (like `std * np.random.randn(size)`). */
  normalArray(size: number, std = 1): Float64Array {
    const out = new Float64Array(size);
    for (let i = 0; i < size; i++) out[i] = std * this.normal();
    return out;
  }

  /** `size` indices drawn from [0, n) WITH replacement, like `np.random.choice(n, size)` in Saito's loops. */
  choice(n: number, size: number): Int32Array {
    const out = new Int32Array(size);
    for (let i = 0; i < size; i++) out[i] = this.int(n);
    return out;
  }

  /** A random permutation of 0 … n-1 (Fisher–Yates), like `np.random.permutation(n)`. */
  permutation(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      const tmp = out[i];
      out[i] = out[j];
      out[j] = tmp;
    }
    return out;
  }
}

/**
 * The generator used when a constructor is not given one. Call `defaultRng.seed(n)` at the top of a
 * notebook to make a whole experiment reproducible, as `np.random.seed(n)` does in the book.
 */
export const defaultRng = new Rng(42);
