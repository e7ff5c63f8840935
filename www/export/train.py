#!/usr/bin/env python3
"""Train an rnnlab model with PyTorch, on one process or on many.

This is the run `rnnlab train` makes for the same settings, written with PyTorch so that it can
scale out. It starts from the same weights (init.safetensors), reads the same windows of the same
text (text.txt) as B contiguous streams whose hidden state carries from one window to the next,
and updates with the same optimizer and the same gradient clipping; its losses are rnnlab's.

    python train.py --steps 1000 --log-json losses.json --out model.safetensors
    torchrun --nproc_per_node 2 train.py --steps 1000 --out model.safetensors

Under torchrun the B streams are shared out between the processes and the gradients averaged
with DistributedDataParallel (gloo on CPU, NCCL on GPUs): the losses and the updates are those of
one process.

--out writes a checkpoint in rnnlab's layout: the playground's "Load a model…", `rnnlab train
--init` and this script's own --init read it and carry on where the run stopped.

The settings come from the metadata of the model file (`train.config`, the same `key=value&…`
query as the playground's link); the weights use PyTorch's own names. Needs torch and safetensors.
"""

import argparse
import json
import math
import os
import sys

import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from safetensors import safe_open
from safetensors.torch import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
RNN_CLASSES = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


def fail(message):
    sys.exit(f"train.py: error: {message}")


def f32(text):
    """A real-valued setting as rnnlab holds it: a float32."""
    return torch.tensor(float(text), dtype=torch.float32).item()


# ---------------------------------------------------------------- the model file


class ModelFile:
    """A model file written by rnnlab (`export-torch`, the playground, `train --out`) or by this
    script: the tensors, and the metadata with the model's shape and the training settings."""

    def __init__(self, path):
        try:
            with safe_open(path, framework="pt") as f:
                self.meta = dict(f.metadata() or {})
                self.tensors = {name: f.get_tensor(name) for name in f.keys()}
        except Exception as e:  # safetensors raises several kinds; say which file it was
            fail(f"cannot read the model file `{path}`: {e}")
        if self.meta.get("format") != "rnnlab":
            fail(f"`{path}` is not an rnnlab model file (its metadata has no format=rnnlab)")
        if "train.config" not in self.meta or "optim.kind" not in self.meta:
            fail(f"`{path}` records no training settings: export it with `rnnlab export-torch`, "
                 "the playground's \"Export to PyTorch\" or `rnnlab train --out`")
        self.settings = dict(p.split("=", 1) for p in self.meta["train.config"].split("&") if "=" in p)
        if self.settings.get("task", "text") != "text":
            fail(f"`{path}` was trained on the {self.settings['task']} task; this script trains on a text")
        self.vocab = json.loads(self.meta["vocab"])
        self.cell = self.meta["cell"]
        self.hidden = int(self.meta["hidden_size"])
        self.layers = int(self.meta["num_layers"])
        self.embed = int(self.meta["embedding_dim"])

    def number(self, key):
        return int(self.meta[key])


class CharModel(nn.Module):
    """Characters in (one-hot, or an embedding), stacked recurrent layers, a linear decoder out.
    Time-major like rnnlab: inputs [T, B], outputs [T, B, V]."""

    def __init__(self, f):
        super().__init__()
        v = len(f.vocab)
        self.vocab_size = v
        if f.embed > 0:
            self.embedding = nn.Embedding(v, f.embed)
        else:
            self.embedding = None
        kwargs = dict(input_size=f.embed or v, hidden_size=f.hidden, num_layers=f.layers)
        if f.cell == "rnn":
            kwargs["nonlinearity"] = f.meta["nonlinearity"]
        self.rnn = RNN_CLASSES[f.cell](**kwargs)
        self.decoder = nn.Linear(f.hidden, v)

    def forward(self, x, state):
        if self.embedding is not None:
            inputs = self.embedding(x)
        else:
            inputs = F.one_hot(x, self.vocab_size).to(self.decoder.weight.dtype)
        out, state = self.rnn(inputs, state)
        return self.decoder(out), state


# ---------------------------------------------------------------- the data


def read_ids(path, vocab):
    """The text's characters as indices into the model's vocabulary."""
    with open(path, "rb") as f:
        text = f.read().decode("utf-8")  # bytes: no newline translation, a BOM stays a character
    index = {c: i for i, c in enumerate(vocab)}
    ids = [index.get(c, -1) for c in text]
    if -1 in ids:
        at = ids.index(-1)
        fail(f"character {text[at]!r} at position {at} of `{path}` is not in the model's vocabulary")
    return torch.tensor(ids, dtype=torch.long)


class Streams:
    """B contiguous streams over the text, read one window at a time (rnnlab's batcher).

    Stream b is ids[b·L : (b+1)·L] with L = N // B. Window k of a stream has the inputs
    [kT, kT+T) and the targets [kT+1, kT+T+1). After the last full window the reading starts
    again at window 0 with a zero hidden state: a new epoch. A process reads only its own streams.
    """

    def __init__(self, ids, batch, seq_len, mine):
        length = len(ids) // batch
        if length < seq_len + 1:
            fail(f"the text has {len(ids)} characters to train on, but batch {batch} × "
                 f"(seq-len {seq_len} + 1) needs at least {batch * (seq_len + 1)}")
        self.rows = ids[: batch * length].view(batch, length)[mine.start:mine.stop]
        self.seq_len = seq_len
        self.windows = (length - 1) // seq_len

    def window(self, k):
        """Inputs and targets of window k, time-major [T, b]."""
        start = k * self.seq_len
        x = self.rows[:, start : start + self.seq_len]
        y = self.rows[:, start + 1 : start + self.seq_len + 1]
        return x.t().contiguous(), y.t().contiguous()


# ---------------------------------------------------------------- optimizer and clipping


def make_optimizer(params, s):
    """rnnlab's optimizers are torch.optim's update rules with their default hyperparameters,
    which rnnlab holds as float32 (so they are rounded here the same way)."""
    lr, wd = f32(s["lr"]), f32(s["weight-decay"])
    kind = s["optimizer"]
    if kind == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=f32(s["momentum"]), weight_decay=wd)
    if kind == "adam":
        return torch.optim.Adam(params, lr=lr, betas=(f32(0.9), f32(0.999)), eps=f32(1e-8), weight_decay=wd)
    if kind == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, alpha=f32(0.99), eps=f32(1e-8), weight_decay=wd)
    if kind == "adagrad":
        return torch.optim.Adagrad(params, lr=lr, eps=f32(1e-10), weight_decay=wd)
    fail(f"unknown optimizer {kind!r}")


# Where each optimizer keeps the moments rnnlab saves as `optim.s1.<name>` and `optim.s2.<name>`.
MOMENTS = {"sgd": ("momentum_buffer", None), "adam": ("exp_avg", "exp_avg_sq"),
           "rmsprop": ("square_avg", None), "adagrad": ("sum", None)}


def restore_optimizer(opt, model, f, device):
    """The optimizer state of a checkpoint that has taken steps (a fresh file has none)."""
    t = f.number("optim.t")
    if t == 0:
        return
    kind = f.settings["optimizer"]
    first, second = MOMENTS[kind]
    for name, p in model.named_parameters():
        state = opt.state[p]
        if kind != "sgd":
            state["step"] = torch.tensor(float(t))
        if kind != "sgd" or f32(f.settings["momentum"]) != 0:
            state[first] = f.tensors[f"optim.s1.{name}"].to(device)
        if second:
            state[second] = f.tensors[f"optim.s2.{name}"].to(device)


def clip_gradients(params, s):
    """rnnlab's clipping: the global L2 norm of all gradients, or every entry; 0 turns it off."""
    threshold = f32(s["clip"])
    if threshold <= 0:
        return
    if s["clip-mode"] == "norm":
        torch.nn.utils.clip_grad_norm_(params, threshold)
    else:
        torch.nn.utils.clip_grad_value_(params, threshold)


# ---------------------------------------------------------------- the carried state


def carried_state(f, mine, device):
    """The state the file's streams carry, for this process's streams: [L, b, H], or the pair
    (h, c) of an LSTM."""
    def part(which):
        return torch.stack([f.tensors[f"state.{which}_l{k}"][mine.start:mine.stop] for k in range(f.layers)]).to(device)
    return (part("h"), part("c")) if f.cell == "lstm" else part("h")


def zero_like(state):
    return tuple(map(torch.zeros_like, state)) if isinstance(state, tuple) else torch.zeros_like(state)


def detached(state):
    return tuple(x.detach() for x in state) if isinstance(state, tuple) else state.detach()


# ---------------------------------------------------------------- processes


def start_processes(device_flag):
    """(rank, world size, device). Under torchrun: a process group, one device per process."""
    cuda = torch.cuda.is_available() and device_flag != "cpu"
    if device_flag == "cuda" and not torch.cuda.is_available():
        fail("--device cuda, but torch sees no GPU")
    if "WORLD_SIZE" not in os.environ:
        return 0, 1, torch.device("cuda" if cuda else "cpu")
    dist.init_process_group("nccl" if cuda else "gloo")
    device = torch.device("cpu")
    if cuda:
        device = torch.device("cuda", int(os.environ["LOCAL_RANK"]))
        torch.cuda.set_device(device)
    return dist.get_rank(), dist.get_world_size(), device


def my_streams(batch, rank, world):
    """The contiguous share of the B streams that process `rank` of `world` reads."""
    if batch < world:
        fail(f"batch {batch} has fewer streams than the {world} processes")
    return range(rank * batch // world, (rank + 1) * batch // world)


def total(x, world):
    """The sum of `x` over every process."""
    x = x.detach().clone()
    if world > 1:
        dist.all_reduce(x)
    return x


# ---------------------------------------------------------------- saving


def full_state(state, mine, batch, world):
    """The carried state of all B streams, [L, B, H] per tensor, from every process's share."""
    parts = state if isinstance(state, tuple) else (state,)
    out = []
    for part in parts:
        whole = part.new_zeros(part.shape[0], batch, part.shape[2])
        whole[:, mine.start:mine.stop] = part
        out.append(total(whole, world).cpu())
    return out


def save_checkpoint(path, model, opt, f, state, counters):
    """The weights, the optimizer's moments, the carried state and where the run is, as a
    checkpoint in rnnlab's layout (written to a temporary file first, then renamed)."""
    kind = f.settings["optimizer"]
    first, second = MOMENTS[kind]
    tensors = {}
    for name, p in model.named_parameters():
        tensors[name] = p.detach().cpu().contiguous()
        moments = opt.state.get(p, {})
        s1 = moments.get(first)
        tensors[f"optim.s1.{name}"] = (torch.zeros_like(p) if s1 is None else s1).detach().cpu().contiguous()
        if second:
            s2 = moments.get(second)
            tensors[f"optim.s2.{name}"] = (torch.zeros_like(p) if s2 is None else s2).detach().cpu().contiguous()
    for which, part in zip("hc", state):
        for k in range(part.shape[0]):
            tensors[f"state.{which}_l{k}"] = part[k].contiguous()
    meta = dict(f.meta)
    meta.update({key: str(value) for key, value in counters.items()})
    tmp = path + ".tmp"
    save_file(tensors, tmp, metadata=meta)
    os.replace(tmp, path)


# ---------------------------------------------------------------- training


def parse_args():
    p = argparse.ArgumentParser(description="Train an rnnlab model with PyTorch (see the top of this file).")
    p.add_argument("--steps", type=int, required=True, help="training steps (one window per stream each)")
    p.add_argument("--log-json", metavar="FILE", help='write {"losses": [...]}: the mean window loss of every step')
    p.add_argument("--out", metavar="MODEL", help="write the trained model here (a checkpoint in rnnlab's layout)")
    p.add_argument("--init", metavar="MODEL", default=os.path.join(HERE, "init.safetensors"),
                   help="start from this model file or checkpoint [default: init.safetensors beside this script]")
    p.add_argument("--text", metavar="FILE", default=os.path.join(HERE, "text.txt"),
                   help="the text to learn [default: text.txt beside this script]")
    p.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto",
                   help="where to train [default: a GPU when torch sees one]")
    args = p.parse_args()
    if args.steps < 0:
        p.error("--steps must be at least 0")
    return args


def main():
    args = parse_args()
    f = ModelFile(args.init)
    s = f.settings
    batch, seq_len = int(s["batch"]), int(s["seq-len"])
    rank, world, device = start_processes(args.device)
    mine = my_streams(batch, rank, world)

    ids = read_ids(args.text, f.vocab)
    held_out = int(f.meta.get("train.held_out", "0"))  # the tail rnnlab keeps for validation
    streams = Streams(ids[: len(ids) - held_out], batch, seq_len, mine)

    model = CharModel(f)
    weights = {name: f.tensors[name] for name, _ in model.named_parameters()}
    model.load_state_dict(weights)
    model.to(device)
    params = list(model.parameters())
    opt = make_optimizer(params, s)
    restore_optimizer(opt, model, f, device)
    net = model
    if world > 1:
        net = nn.parallel.DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None)

    state = carried_state(f, mine, device)
    step, chars, cursor = f.number("train.step"), f.number("train.chars"), f.number("train.cursor")
    t = f.number("optim.t")
    losses = []
    every = max(1, args.steps // 20)
    for done in range(1, args.steps + 1):
        k = cursor if cursor < streams.windows else 0
        if k == 0:  # a new epoch starts from a zero state
            state = zero_like(state)
        cursor = k + 1
        x, y = streams.window(k)
        logits, new_state = net(x.to(device), state)
        loss_sum = F.cross_entropy(logits.reshape(-1, len(f.vocab)), y.to(device).reshape(-1), reduction="sum")
        # The mean over all B·T positions of every process: DDP averages the gradients over the
        # processes, so each one scales its own sum by (processes / (B·T)).
        loss = loss_sum * (world / (batch * seq_len))
        opt.zero_grad()
        loss.backward()
        clip_gradients(params, s)
        opt.step()
        state = detached(new_state)  # truncated backpropagation through time
        step, t, chars = step + 1, t + 1, chars + batch * seq_len
        mean = total(loss_sum, world).item() / (batch * seq_len)
        if not math.isfinite(mean):
            fail(f"step {step}: the loss is {mean}; lower the learning rate or clip the gradients")
        losses.append(mean)
        if rank == 0 and (done % every == 0 or done == args.steps):
            print(f"step {step}  loss {mean:.4f}", file=sys.stderr)

    full = full_state(state, mine, batch, world)
    if rank == 0:
        if args.log_json:
            with open(args.log_json, "w") as out:
                json.dump({"losses": losses}, out)
        if args.out:
            counters = {"optim.t": t, "train.step": step, "train.chars": chars, "train.cursor": cursor}
            save_checkpoint(args.out, model, opt, f, full, counters)
            print(f"wrote `{args.out}` (step {step})", file=sys.stderr)
    if world > 1:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
