import { describe, expect, it } from "vitest";
import { Matrix } from "../../src/network/matrix";
import { Relu, Sigmoid } from "../../src/network/activation-layers";
import { Affine } from "../../src/network/affine";
import { SoftmaxWithLoss } from "../../src/network/softmax-with-loss";
import { Dropout } from "../../src/network/dropout";
import { AddLayer, MulLayer } from "../../src/network/graph-layers";
import { oneHot } from "../../src/network/functions";
import { Rng } from "../../src/network/rng";
import { awayFromZero, checkGradient, dot, randomMatrix } from "./check";

// Every layer: backward(G) must equal the numerical gradient of f = Σ forward(x) ⊙ G.
const TOL = 1e-7;

describe("gradient check of every layer (float64, central differences, h = 1e-4)", () => {
  it("Relu", () => {
    const rng = new Rng(1);
    const x = awayFromZero(rng, 4, 7);
    const G = randomMatrix(rng, 4, 7);
    const layer = new Relu();
    layer.forward(x);
    const dx = layer.backward(G);
    expect(checkGradient(() => dot(new Relu().forward(x), G), x.data, dx.data)).toBeLessThan(TOL);
    // and the values themselves
    expect(Array.from(layer.forward(Matrix.from([[-2, 0, 3]])).data)).toEqual([0, 0, 3]);
    expect(Array.from(layer.backward(Matrix.from([[5, 6, 7]])).data)).toEqual([0, 0, 7]);
  });

  it("Sigmoid", () => {
    const rng = new Rng(2);
    const x = randomMatrix(rng, 3, 6);
    const G = randomMatrix(rng, 3, 6);
    const layer = new Sigmoid();
    layer.forward(x);
    const dx = layer.backward(G);
    expect(checkGradient(() => dot(new Sigmoid().forward(x), G), x.data, dx.data)).toBeLessThan(TOL);
    expect(layer.forward(Matrix.from([[0]])).data[0]).toBe(0.5);
  });

  it("Affine (dx, dW and db)", () => {
    const rng = new Rng(3);
    const x = randomMatrix(rng, 4, 5);
    const W = randomMatrix(rng, 5, 3);
    const b = rng.normalArray(3);
    const G = randomMatrix(rng, 4, 3);
    const layer = new Affine(W, b);
    const f = (): number => dot(layer.forward(x), G);
    f();
    const dx = layer.backward(G);
    const { dW, db } = layer;
    expect(checkGradient(f, x.data, dx.data)).toBeLessThan(TOL);
    expect(checkGradient(f, W.data, dW.data)).toBeLessThan(TOL);
    expect(checkGradient(f, b, db)).toBeLessThan(TOL);
  });

  it("Affine on a batch big enough for the WebAssembly kernel", () => {
    const rng = new Rng(4);
    const x = randomMatrix(rng, 40, 30, 0.5);
    const W = randomMatrix(rng, 30, 20);
    const b = rng.normalArray(20);
    const G = randomMatrix(rng, 40, 20);
    const layer = new Affine(W, b);
    const f = (): number => dot(layer.forward(x), G);
    f();
    const dx = layer.backward(G);
    const { dW, db } = layer;
    expect(checkGradient(f, W.data, dW.data)).toBeLessThan(TOL);
    expect(checkGradient(f, b, db)).toBeLessThan(TOL);
    expect(checkGradient(f, x.data, dx.data)).toBeLessThan(TOL);
  });

  it("SoftmaxWithLoss, with class indices and with one-hot targets", () => {
    const rng = new Rng(5);
    const x = randomMatrix(rng, 5, 4);
    const labels = [0, 3, 1, 1, 2];
    for (const t of [labels, oneHot(labels, 4)]) {
      const layer = new SoftmaxWithLoss();
      layer.forward(x, t);
      const dx = layer.backward(1);
      expect(checkGradient(() => new SoftmaxWithLoss().forward(x, t), x.data, dx.data)).toBeLessThan(TOL);
    }
    const a = new SoftmaxWithLoss().forward(x, labels);
    const b = new SoftmaxWithLoss().forward(x, oneHot(labels, 4));
    expect(a).toBeCloseTo(b, 14);
  });

  it("SoftmaxWithLoss: backward is (y − t)/N and the loss is −mean log y[t]", () => {
    const layer = new SoftmaxWithLoss();
    const x = Matrix.from([[1, 2, 3], [0, 0, 0]]);
    const loss = layer.forward(x, [2, 0]);
    const e = [Math.exp(1), Math.exp(2), Math.exp(3)];
    const s = e[0] + e[1] + e[2];
    expect(loss).toBeCloseTo((-Math.log(e[2] / s) - Math.log(1 / 3)) / 2, 14);
    const dx = layer.backward();
    expect(dx.get(0, 2)).toBeCloseTo((e[2] / s - 1) / 2, 14);
    expect(dx.get(1, 1)).toBeCloseTo(1 / 3 / 2, 14);
  });

  it("Dropout (the same mask for every probe)", () => {
    const rng = new Rng(6);
    const x = randomMatrix(rng, 6, 5);
    const G = randomMatrix(rng, 6, 5);
    const maskRng = new Rng(99);
    const start = maskRng.saveState();
    const layer = new Dropout(0.4, maskRng);
    const f = (): number => {
      maskRng.restoreState(start);
      return dot(layer.forward(x, true), G);
    };
    f();
    const dx = layer.backward(G);
    expect(checkGradient(f, x.data, dx.data)).toBeLessThan(TOL);
    // dropped neurons give 0 forward and backward, kept ones pass unchanged
    const y = layer.forward(x, true);
    const kept = layer.mask as Uint8Array;
    for (let i = 0; i < x.size; i++) expect(y.data[i]).toBe(kept[i] === 1 ? x.data[i] : 0);
  });

  it("Dropout: about `ratio` of the neurons are dropped while training; test mode scales by 1 − ratio", () => {
    const layer = new Dropout(0.3, new Rng(8));
    const x = new Matrix(100, 100).map(() => 1);
    const y = layer.forward(x, true);
    const kept = y.data.reduce((s, v) => s + v, 0) / y.size;
    expect(kept).toBeGreaterThan(0.68);
    expect(kept).toBeLessThan(0.72);
    const test = layer.forward(x, false);
    expect(test.data.every((v) => v === 0.7)).toBe(true);
    expect(layer.backward(x).data.every((v) => v === 0.7)).toBe(true);
    expect(() => new Dropout(1)).toThrow(/ratio must be in \[0, 1\)/);
  });

  it("the book's shopping example with MulLayer and AddLayer", () => {
    // 2 apples at 100, tax 1.1
    const mulApple = new MulLayer();
    const mulTax = new MulLayer();
    const price = mulTax.forward(mulApple.forward(100, 2), 1.1);
    expect(price).toBeCloseTo(220, 10);
    const [dApplePrice, dTax] = mulTax.backward(1);
    const [dApple, dAppleNum] = mulApple.backward(dApplePrice);
    expect(dApple).toBeCloseTo(2.2, 12);
    expect(dAppleNum).toBeCloseTo(110, 10);
    expect(dTax).toBe(200);

    // 2 apples at 100 and 3 oranges at 150, tax 1.1
    const [mA, mO, add, tax] = [new MulLayer(), new MulLayer(), new AddLayer(), new MulLayer()];
    const total = tax.forward(add.forward(mA.forward(100, 2), mO.forward(150, 3)), 1.1);
    expect(total).toBeCloseTo(715, 10);
    const [dAll, dTax2] = tax.backward(1);
    const [dA, dO] = add.backward(dAll);
    const [dOrange, dOrangeNum] = mO.backward(dO);
    const [dApple2, dAppleNum2] = mA.backward(dA);
    expect([dApple2, dAppleNum2, dOrange, dOrangeNum, dTax2].map((v) => Math.round(v * 1e9) / 1e9)).toEqual([2.2, 110, 3.3, 165, 650]);
  });

  it("bad shapes give errors naming both shapes", () => {
    const layer = new Affine(new Matrix(5, 3), new Float64Array(3));
    expect(() => layer.forward(new Matrix(2, 4))).toThrow(/input x is 2×4 but W is 5×3/);
    layer.forward(new Matrix(2, 5));
    expect(() => layer.backward(new Matrix(2, 4))).toThrow(/dout is 2×4 but the forward output was 2×3/);
    expect(() => new Affine(new Matrix(5, 3), new Float64Array(2))).toThrow(/W is 5×3 so b needs 3 numbers, got 2/);
    const relu = new Relu();
    relu.forward(new Matrix(2, 3));
    expect(() => relu.backward(new Matrix(3, 2))).toThrow(/3×2 vs 2×3/);
    expect(() => new SoftmaxWithLoss().forward(new Matrix(2, 3), [0])).toThrow(/1 labels for a batch of 2 rows/);
    expect(() => new SoftmaxWithLoss().forward(new Matrix(2, 3), new Matrix(2, 4))).toThrow(/targets are 2×4 but the outputs are 2×3/);
    expect(() => new SoftmaxWithLoss().forward(new Matrix(1, 3), [3])).toThrow(/label 3 at row 0 is not a class index in 0…2/);
  });
});
