import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { broadcastShapes, formatShape, padShape } from "../../src/naive/broadcast";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** A small seeded generator (mulberry32), so a failing pair can be reproduced. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Random pairs of rank 0–5 with sizes 1–4. Half are drawn independently (mostly incompatible);
 * in the other half b copies a's trailing sizes, some turned into 1 (mostly compatible).
 */
function randomPair(r: () => number): [number[], number[]] {
  const int = (n: number) => Math.floor(r() * n);
  const a = Array.from({ length: int(6) }, () => 1 + int(4));
  const rankB = int(6);
  const independent = r() < 0.5;
  const b: number[] = [];
  for (let k = 0; k < rankB; k++) {
    const match = a[a.length - rankB + k];
    const roll = r();
    b.push(!independent && match !== undefined && roll < 0.7 ? match : !independent && roll < 0.85 ? 1 : 1 + int(4));
  }
  return r() < 0.5 ? [b, a] : [a, b];
}

/** What tfjs itself does with a + b: the result's shape, or null when it throws. */
function tfjsShape(a: number[], b: number[]): number[] | null {
  const x = tf.zeros(a);
  const y = tf.zeros(b);
  try {
    const sum = tf.add(x, y);
    sum.dispose();
    return sum.shape;
  } catch {
    return null;
  } finally {
    tf.dispose([x, y]);
  }
}

describe("broadcastShapes — the book's examples", () => {
  it("(32, 10) + (10,) → (32, 10)", () => {
    expect(broadcastShapes([32, 10], [10])).toEqual([32, 10]);
    expect(broadcastShapes([10], [32, 10])).toEqual([32, 10]);
  });
  it("maximum of (64, 3, 32, 10) and (32, 10) → (64, 3, 32, 10)", () => {
    expect(broadcastShapes([64, 3, 32, 10], [32, 10])).toEqual([64, 3, 32, 10]);
  });
  it("size-1 axes stretch on both sides: (8, 1, 6, 1) with (7, 1, 5) → (8, 7, 6, 5)", () => {
    expect(broadcastShapes([8, 1, 6, 1], [7, 1, 5])).toEqual([8, 7, 6, 5]);
  });
  it("scalars broadcast against anything", () => {
    expect(broadcastShapes([], [])).toEqual([]);
    expect(broadcastShapes([], [2, 3])).toEqual([2, 3]);
    expect(broadcastShapes([4], [])).toEqual([4]);
  });
  it("a size-0 axis meets only 0 or 1", () => {
    expect(broadcastShapes([0, 3], [1, 3])).toEqual([0, 3]);
    expect(() => broadcastShapes([0, 3], [2, 3])).toThrow(/size 0 vs size 2/);
  });
});

describe("broadcastShapes — errors", () => {
  it("names the axis (from the left of the result and from the end) and both sizes", () => {
    expect(() => broadcastShapes([32, 10], [32])).toThrow(/axis 1 of the result \(axis -1 from the end\): size 10 vs size 32/);
    expect(() => broadcastShapes([2, 3, 4], [5, 1, 4])).toThrow(/\(2, 3, 4\) and \(5, 1, 4\).*axis 0 .*size 2 vs size 5/);
  });
  it("rejects arguments that are not shapes", () => {
    expect(() => broadcastShapes([2, -1], [2])).toThrow(/a\[1\] is -1/);
    expect(() => broadcastShapes([2], [1.5])).toThrow(/b\[0\] is 1.5/);
    expect(() => broadcastShapes("3" as unknown as number[], [2])).toThrow(/a must be an array/);
  });
});

describe("broadcastShapes agrees with tfjs on random shape pairs", () => {
  const r = rng(20240601);
  const pairs = Array.from({ length: 1000 }, () => randomPair(r));

  it("gives tfjs's result shape, or throws exactly when tfjs throws", () => {
    let compatible = 0;
    let incompatible = 0;
    for (const [a, b] of pairs) {
      const expected = tfjsShape(a, b);
      const label = `${formatShape(a)} with ${formatShape(b)}`;
      if (expected === null) {
        incompatible++;
        expect(() => broadcastShapes(a, b), label).toThrow(/incompatible at axis \d+/);
      } else {
        compatible++;
        expect(broadcastShapes(a, b), label).toEqual(expected);
      }
    }
    // the generator must exercise both outcomes, many times each
    console.log(`${compatible} compatible, ${incompatible} incompatible`);
    expect(compatible).toBeGreaterThan(200);
    expect(incompatible).toBeGreaterThan(200);
  });

  it("the sizes named in each error really are unequal and neither is 1", () => {
    for (const [a, b] of pairs) {
      let message = "";
      try {
        broadcastShapes(a, b);
        continue;
      } catch (e) {
        message = (e as Error).message;
      }
      const m = message.match(/axis (\d+) of the result \(axis (-\d+) from the end\): size (\d+) vs size (\d+)/);
      expect(m, message).not.toBeNull();
      const [axis, fromEnd, sa, sb] = m!.slice(1).map(Number);
      const rank = Math.max(a.length, b.length);
      expect(axis - rank).toBe(fromEnd);
      expect(padShape(a, rank)[axis]).toBe(sa);
      expect(padShape(b, rank)[axis]).toBe(sb);
      expect(sa).not.toBe(sb);
      expect(sa === 1 || sb === 1).toBe(false);
    }
  });
});

describe("padShape and formatShape", () => {
  it("adds size-1 axes on the left (the book's rule 1)", () => {
    expect(padShape([10], 2)).toEqual([1, 10]);
    expect(padShape([32, 10], 4)).toEqual([1, 1, 32, 10]);
    expect(padShape([], 0)).toEqual([]);
    expect(() => padShape([1, 2, 3], 2)).toThrow(/rank 2 is smaller than the rank 3/);
  });
  it("writes shapes as the book does", () => {
    expect(formatShape([60000, 28, 28])).toBe("(60000, 28, 28)");
    expect(formatShape([10])).toBe("(10,)");
    expect(formatShape([])).toBe("()");
  });
});
