"""PyTorch's side of scripts/bench-native.sh: the same training step as benches/train_step.rs
(one-hot input over V=65 symbols, a one-layer RNN/LSTM/GRU of H=128, a linear decoder,
cross-entropy over T=25 steps of B streams, truncated BPTT with the state carried, gradient
norm clipped at 5, Adam at lr 2e-3), timed on the CPU with a given number of threads.

    python scripts/bench_torch.py --threads 1 [--cells lstm] [--batches 1,32] [--steps 30]

Prints one JSON object per line: cell, batch, threads, msPerStep (median wall time),
charsPerSec, and cpuMsPerStep (median CPU time of the process: all its threads).
"""

import argparse
import json
import statistics
import time

import torch

V, H, T = 65, 128, 25


def step_fn(cell, batch):
    rnn = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell](V, H)
    dec = torch.nn.Linear(H, V)
    params = list(rnn.parameters()) + list(dec.parameters())
    opt = torch.optim.Adam(params, lr=2e-3)
    gen = torch.Generator().manual_seed(1)
    data = torch.randint(0, V, (T * 40 + 1, batch), generator=gen)
    state = {"h": None, "pos": 0}

    def detach(h):
        return tuple(x.detach() for x in h) if isinstance(h, tuple) else h.detach()

    def step():
        p = state["pos"]
        if p + T + 1 > data.shape[0]:
            p, state["h"] = 0, None
        x = torch.nn.functional.one_hot(data[p : p + T], V).float()
        y = data[p + 1 : p + T + 1]
        out, h = rnn(x, state["h"])
        loss = torch.nn.functional.cross_entropy(dec(out).reshape(-1, V), y.reshape(-1))
        opt.zero_grad(set_to_none=False)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 5.0)
        opt.step()
        state["h"], state["pos"] = detach(h), p + T
        return loss.item()

    return step


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--cells", default="rnn,lstm,gru")
    ap.add_argument("--batches", default="1,32")
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=5)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    for cell in a.cells.split(","):
        for batch in map(int, a.batches.split(",")):
            step = step_fn(cell, batch)
            for _ in range(a.warmup):
                step()
            times, cpu = [], []
            for _ in range(a.steps):
                t0, c0 = time.perf_counter(), time.process_time()
                step()
                times.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
            ms = statistics.median(times) * 1e3
            print(json.dumps({
                "cell": cell, "batch": batch, "threads": a.threads, "torch": torch.__version__,
                "msPerStep": round(ms, 4), "charsPerSec": round(T * batch / (ms / 1e3)),
                "cpuMsPerStep": round(statistics.median(cpu) * 1e3, 4),
            }), flush=True)


if __name__ == "__main__":
    main()
