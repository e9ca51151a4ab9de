/**
 * The two smallest layers, on plain numbers, for computational graphs (Saito §5.3–5.4). Introduced in
 * lesson 05 with the book's shopping example: 2 apples at 100 each, 10% tax → 220; going backward from
 * 1, ∂price/∂apple = 2.2, ∂price/∂count = 110, ∂price/∂tax = 200.
 */

/** z = x · y; backward: ∂z/∂x = y, ∂z/∂y = x (each input gets the *other* input times dout). */
export class MulLayer {
  private x = 0;
  private y = 0;

  forward(x: number, y: number): number {
    this.x = x;
    this.y = y;
    return x * y;
  }

  /** Returns [dx, dy]. */
  backward(dout: number): [number, number] {
    return [dout * this.y, dout * this.x];
  }
}

/** z = x + y; backward: both inputs get dout unchanged. */
export class AddLayer {
  forward(x: number, y: number): number {
    return x + y;
  }

  /** Returns [dx, dy]. */
  backward(dout: number): [number, number] {
    return [dout, dout];
  }
}
