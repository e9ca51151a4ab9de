/**
 * The update rules of Saito §6.1, each `update(params, grads)` changing the parameters in place.
 * Introduced in lesson 06 (§6.1, updating parameters: the five compared on a 2-D bowl and on MNIST);
 * lesson 07 trains with SGD; lesson 08 sets the kit's RMSprop beside TensorFlow.js's.
 * The formulas follow the book's common/optimizer.py line by line (including its ε = 1e-7).
 */

import { Params } from "./layer";

export interface Optimizer {
  update(params: Params, grads: Params): void;
}

/** Checks that every gradient has a parameter of the same length; returns the keys to update. */
function keysOf(what: string, params: Params, grads: Params): string[] {
  const keys = Object.keys(grads);
  for (const key of keys) {
    const p = params[key];
    if (p === undefined) throw new Error(`${what}.update: there is a gradient "${key}" but no parameter with that name`);
    if (p.length !== grads[key].length) {
      throw new Error(`${what}.update: parameter "${key}" has ${p.length} numbers but its gradient has ${grads[key].length}`);
    }
  }
  return keys;
}

/** State arrays (one per parameter) created on first use, like the book's `if self.v is None`. */
function stateFor(state: Params, key: string, length: number): Float64Array {
  let s = state[key];
  if (s === undefined || s.length !== length) s = state[key] = new Float64Array(length);
  return s;
}

/** W ← W − lr · ∂L/∂W */
export class SGD implements Optimizer {
  constructor(public lr = 0.01) {}

  update(params: Params, grads: Params): void {
    for (const key of keysOf("SGD", params, grads)) {
      const p = params[key], g = grads[key];
      for (let i = 0; i < p.length; i++) p[i] -= this.lr * g[i];
    }
  }
}

/** v ← momentum · v − lr · ∂L/∂W;  W ← W + v   (a ball rolling downhill) */
export class Momentum implements Optimizer {
  readonly v: Params = {};
  constructor(public lr = 0.01, public momentum = 0.9) {}

  update(params: Params, grads: Params): void {
    for (const key of keysOf("Momentum", params, grads)) {
      const p = params[key], g = grads[key], v = stateFor(this.v, key, p.length);
      for (let i = 0; i < p.length; i++) {
        v[i] = this.momentum * v[i] - this.lr * g[i];
        p[i] += v[i];
      }
    }
  }
}

/** h ← h + g²;  W ← W − lr · g / (√h + 1e-7)   (each parameter's step shrinks as it moves) */
export class AdaGrad implements Optimizer {
  readonly h: Params = {};
  constructor(public lr = 0.01) {}

  update(params: Params, grads: Params): void {
    for (const key of keysOf("AdaGrad", params, grads)) {
      const p = params[key], g = grads[key], h = stateFor(this.h, key, p.length);
      for (let i = 0; i < p.length; i++) {
        h[i] += g[i] * g[i];
        p[i] -= (this.lr * g[i]) / (Math.sqrt(h[i]) + 1e-7);
      }
    }
  }
}

/** h ← ρ·h + (1 − ρ)·g²;  W ← W − lr · g / (√h + 1e-7)   (AdaGrad that forgets old gradients) */
export class RMSprop implements Optimizer {
  readonly h: Params = {};
  constructor(public lr = 0.01, public decayRate = 0.99) {}

  update(params: Params, grads: Params): void {
    for (const key of keysOf("RMSprop", params, grads)) {
      const p = params[key], g = grads[key], h = stateFor(this.h, key, p.length);
      for (let i = 0; i < p.length; i++) {
        h[i] *= this.decayRate;
        h[i] += (1 - this.decayRate) * g[i] * g[i];
        p[i] -= (this.lr * g[i]) / (Math.sqrt(h[i]) + 1e-7);
      }
    }
  }
}

/**
 * Adam = Momentum + RMSprop with bias correction, written as in the book:
 *   t ← t + 1;  lr_t = lr · √(1 − β2ᵗ) / (1 − β1ᵗ)
 *   m ← m + (1 − β1)(g − m);  v ← v + (1 − β2)(g² − v);  W ← W − lr_t · m / (√v + 1e-7)
 */
export class Adam implements Optimizer {
  readonly m: Params = {};
  readonly v: Params = {};
  /** Number of updates so far (t). */
  iter = 0;
  constructor(public lr = 0.001, public beta1 = 0.9, public beta2 = 0.999) {}

  update(params: Params, grads: Params): void {
    const keys = keysOf("Adam", params, grads);
    this.iter += 1;
    const lrT = (this.lr * Math.sqrt(1 - this.beta2 ** this.iter)) / (1 - this.beta1 ** this.iter);
    for (const key of keys) {
      const p = params[key], g = grads[key];
      const m = stateFor(this.m, key, p.length), v = stateFor(this.v, key, p.length);
      for (let i = 0; i < p.length; i++) {
        m[i] += (1 - this.beta1) * (g[i] - m[i]);
        v[i] += (1 - this.beta2) * (g[i] * g[i] - v[i]);
        p[i] -= (lrT * m[i]) / (Math.sqrt(v[i]) + 1e-7);
      }
    }
  }
}
