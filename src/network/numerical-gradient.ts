/**
 * Derivatives by finite differences, and gradient descent driven by them (Saito §4.3–4.4).
 * Introduced in lesson 05: the numerical gradient is slow but obviously right, so it is the
 * yardstick that backpropagation is checked against ("gradient check").
 */

/** f'(x) ≈ (f(x+h) − f(x−h)) / 2h — the central difference, error O(h²). */
export function numericalDiff(f: (x: number) => number, x: number, h = 1e-4): number {
  return (f(x + h) - f(x - h)) / (2 * h);
}

/** f'(x) ≈ (f(x+h) − f(x)) / h — the forward difference, error O(h); shown to compare with the central one. */
export function forwardDiff(f: (x: number) => number, x: number, h = 1e-4): number {
  return (f(x + h) - f(x)) / h;
}

/**
 * ∂f/∂x[i] for every i by central differences: x[i] is nudged by ±h in place, f is evaluated, and
 * x[i] is put back exactly as it was before moving on. f receives x itself, so when x is a weight
 * array of a network, f can simply compute the network's loss (Saito's `lambda W: net.loss(x, t)`).
 */
export function numericalGradient(f: (x: Float64Array | number[]) => number, x: Float64Array | number[], h = 1e-4): Float64Array {
  if (!(h > 0)) throw new Error(`numericalGradient: h must be a positive number, got ${h}`);
  const grad = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const old = x[i];
    x[i] = old + h;
    const fPlus = f(x);
    x[i] = old - h;
    const fMinus = f(x);
    x[i] = old;
    grad[i] = (fPlus - fMinus) / (2 * h);
  }
  return grad;
}

export interface DescentResult {
  /** Where the descent ended. */
  x: Float64Array;
  /** Every point visited, from the start to the end (steps + 1 points), ready to plot. */
  path: number[][];
}

/** Repeats x ← x − lr·∇f(x) `steps` times, with ∇f from `numericalGradient` (Saito's gradient_descent). */
export function gradientDescent(f: (x: Float64Array | number[]) => number, init: ArrayLike<number>, lr = 0.01, steps = 100): DescentResult {
  if (!Number.isInteger(steps) || steps < 0) throw new Error(`gradientDescent: steps must be a non-negative integer, got ${steps}`);
  if (!Number.isFinite(lr)) throw new Error(`gradientDescent: lr must be a finite number, got ${lr}`);
  const x = Float64Array.from(init);
  const path = [Array.from(x)];
  for (let s = 0; s < steps; s++) {
    const grad = numericalGradient(f, x);
    for (let i = 0; i < x.length; i++) x[i] -= lr * grad[i];
    path.push(Array.from(x));
  }
  return { x, path };
}
