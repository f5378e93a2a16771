"""Training throughput (examples per second) of ravine.nn models vs PyTorch CPU float64.

Workloads (one training step = loss, gradient by reverse mode, plain SGD update):

* ``mlp_digits``: MLPClassifier 64 → 100 ReLU → 10 on sklearn's digits
  (ravine.data.load_digits, pixels / 16), mini-batches of 128.
* ``nlm_shakespeare``: NeuralLanguageModel on Shakespeare windows (ravine.data;
  500 words + <unk>, previous K = 3 words, 16-d embeddings, 32 tanh units,
  softmax over 501 words), mini-batches of 256.

The PyTorch side is the same network written with ``torch.nn.functional`` in
float64, eager mode, ``loss.backward()`` and an in-place SGD update under
``no_grad``.  Both start from the same parameters; the script first checks that
the two losses and gradients agree.  Both libraries run single-threaded
(threadpoolctl for NumPy's BLAS, ``torch.set_num_threads(1)``) so the numbers
compare the libraries, not thread scheduling on a shared machine.  Timed blocks
of ``--steps`` steps alternate between the libraries; the median block gives
examples/s, and the ratio ravine / torch is printed (> 1: ravine faster).

    python bench/bench_nn.py [--steps 50] [--repeats 7] [--only mlp_digits]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from threadpoolctl import threadpool_limits

import ravine.nn as nn
from ravine import value_and_grad
from ravine.misc.flatten import tree_map

LR = 0.05


def mlp_workload():
    from ravine.data import load_digits

    split = load_digits(seed=0)
    X, y = split.x_train / 16.0, split.y_train
    model = nn.MLPClassifier(64, 10, hidden=(100,), activation="relu")
    return model, X, y, 128


def nlm_workload():
    from ravine.data import Vocabulary, load_shakespeare, ngram_windows

    train = load_shakespeare(word_limit=200_000).split(seed=0)[0]
    vocab = Vocabulary.build(train.documents_tokens(), max_size=500)
    X, y = ngram_windows(train.encode(vocab), context=3)
    model = nn.NeuralLanguageModel(len(vocab), context_size=3, embed_dim=16, hidden=32)
    return model, X, y, 256


def torch_forward(torch, model, tp, X):
    F = torch.nn.functional
    if isinstance(model, nn.MLPClassifier):
        h = F.relu(X @ tp["hidden1.W"] + tp["hidden1.b"])
        return h @ tp["output.W"] + tp["output.b"]
    e = tp["embed"][X].reshape(X.shape[0], -1)
    h = torch.tanh(e @ tp["hidden.W"] + tp["hidden.b"])
    return h @ tp["output.W"] + tp["output.b"]


def to_torch(torch, params):
    flat = {}
    for key, value in params.items():
        if isinstance(value, dict):
            for sub, leaf in value.items():
                flat[f"{key}.{sub}"] = torch.tensor(leaf, dtype=torch.float64, requires_grad=True)
        else:
            flat[key] = torch.tensor(value, dtype=torch.float64, requires_grad=True)
    return flat


def check_agreement(torch, model, params, X, y):
    loss, g = value_and_grad(model.loss)(params, X, y)
    tp = to_torch(torch, params)
    t_loss = torch.nn.functional.cross_entropy(torch_forward(torch, model, tp, torch.as_tensor(X)),
                                               torch.as_tensor(y))
    t_loss.backward()
    assert np.isclose(float(loss), t_loss.item(), rtol=1e-10), (float(loss), t_loss.item())
    ref = g["output"]["W"]
    assert np.allclose(ref, tp["output.W"].grad.numpy(), rtol=1e-8, atol=1e-12)


def ravine_block(model, params, batches):
    vg = value_and_grad(model.loss)
    start = time.perf_counter()
    for Xb, yb in batches:
        _, g = vg(params, Xb, yb)
        params = tree_map(lambda p, gp: p - LR * gp, params, g)
    return time.perf_counter() - start


def torch_block(torch, model, tp, batches):
    F = torch.nn.functional
    batches = [(torch.as_tensor(Xb), torch.as_tensor(yb)) for Xb, yb in batches]
    start = time.perf_counter()
    for Xb, yb in batches:
        loss = F.cross_entropy(torch_forward(torch, model, tp, Xb), yb)
        for p in tp.values():
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in tp.values():
                p -= LR * p.grad
    return time.perf_counter() - start


def run(name, workload, steps, repeats, torch):
    model, X, y, batch = workload()
    rng = np.random.default_rng(0)
    batches = [(X[idx], y[idx]) for idx in (rng.integers(0, len(y), batch) for _ in range(steps))]
    params = model.init(0)
    if torch is not None:
        check_agreement(torch, model, params, X[:batch], y[:batch])
    times = {"ravine": [], "torch": []}
    for r in range(repeats):
        order = ["ravine", "torch"] if r % 2 == 0 else ["torch", "ravine"]
        for lib in order:
            if lib == "ravine":
                times["ravine"].append(ravine_block(model, params, batches))
            elif torch is not None:
                times["torch"].append(torch_block(torch, model, to_torch(torch, params), batches))
    rate = {lib: steps * batch / float(np.median(t)) for lib, t in times.items() if t}
    line = f"{name:16s} batch {batch:4d}  ravine {rate['ravine']:10.0f} examples/s"
    if "torch" in rate:
        line += f"   torch {rate['torch']:10.0f} examples/s   ravine/torch {rate['ravine'] / rate['torch']:.2f}"
    print(line, flush=True)
    return rate


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--only", nargs="*", choices=["mlp_digits", "nlm_shakespeare"])
    args = parser.parse_args(argv)
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:
        torch = None
        print("PyTorch not installed: ravine only (pip install torch==2.13.0 for the anchor).")
    workloads = {"mlp_digits": mlp_workload, "nlm_shakespeare": nlm_workload}
    with threadpool_limits(limits=1, user_api="blas"):
        for name in args.only or workloads:
            run(name, workloads[name], args.steps, args.repeats, torch)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
