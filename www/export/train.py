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
import ctypes
import json
import math
import os
import struct
import sys

import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from safetensors import safe_open

HERE = os.path.dirname(os.path.abspath(__file__))
RNN_CLASSES = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


def save_safetensors(tensors, path, metadata):
    """Writes float32 `tensors` and string `metadata` as a safetensors file: an 8-byte
    little-endian header length, the JSON header, then each tensor's bytes. Written here rather
    than with safetensors.torch.save_file, which imports numpy (since safetensors 0.8) although
    neither torch nor safetensors installs it; the bytes are read with ctypes instead."""
    if sys.byteorder != "little":
        fail("writing a model file needs a little-endian machine (safetensors stores little-endian)")
    header, chunks, offset = {"__metadata__": metadata}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().to("cpu").contiguous()
        if t.dtype != torch.float32:
            fail(f"tensor `{name}` is {t.dtype}; rnnlab's model files hold float32")
        data = ctypes.string_at(t.data_ptr(), t.numel() * 4) if t.numel() else b""
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * (-len(head) % 8)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(head)) + head)
        for data in chunks:
            out.write(data)


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


class WrittenRNN(nn.Module):
    """Stacked recurrent layers written from their equations, for what torch.nn.RNN/LSTM/GRU do
    not offer: the vanilla RNN with the logistic sigmoid, and rnnlab's residual connections.

    - residual "layers": o_0 = h_0, o_k = h_k + o_{k-1}; the next layer and the decoder read o.
    - residual "time" (vanilla RNN): h_t = h_{t-1} + act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh).

    It has nn.RNN's parameter names (weight_ih_l0, ...), so rnnlab's weights load as they are, and
    its interface (time-major inputs; a [L, B, H] state in and out, (h, c) for an LSTM)."""

    GATES = {"rnn": 1, "lstm": 4, "gru": 3}
    ACTIVATIONS = {"tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid}

    def __init__(self, cell, input_size, hidden_size, num_layers, nonlinearity="tanh", residual="none"):
        super().__init__()
        self.cell, self.num_layers, self.residual = cell, num_layers, residual
        self.act = self.ACTIVATIONS[nonlinearity]
        g = self.GATES[cell] * hidden_size
        for k in range(num_layers):
            shapes = {"weight_ih": (g, input_size if k == 0 else hidden_size),
                      "weight_hh": (g, hidden_size), "bias_ih": (g,), "bias_hh": (g,)}
            for name, shape in shapes.items():
                self.register_parameter(f"{name}_l{k}", nn.Parameter(torch.zeros(shape)))

    def step(self, k, x, h, c):
        """Layer k's step: (h_t, c_t); c is None but for the LSTM."""
        w = [getattr(self, f"{n}_l{k}") for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
        gi, gh = F.linear(x, w[0], w[2]), F.linear(h, w[1], w[3])
        if self.cell == "lstm":  # gates i, f, g, o
            i, f, g, o = (gi + gh).chunk(4, dim=-1)
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
            return torch.sigmoid(o) * torch.tanh(c), c
        if self.cell == "gru":  # gates r, z, n
            (ir, iz, i_n), (hr, hz, h_n) = gi.chunk(3, dim=-1), gh.chunk(3, dim=-1)
            r, z = torch.sigmoid(ir + hr), torch.sigmoid(iz + hz)
            n = torch.tanh(i_n + r * h_n)
            return (1 - z) * n + z * h, None
        new = self.act(gi + gh)
        return (h + new if self.residual == "time" else new), None

    def forward(self, x, state):
        lstm = self.cell == "lstm"
        h = list(state[0] if lstm else state)
        c = list(state[1]) if lstm else [None] * self.num_layers
        outputs = []
        for x_t in x:
            z = x_t
            for k in range(self.num_layers):
                h[k], c[k] = self.step(k, z, h[k], c[k])
                z = h[k] + z if self.residual == "layers" and k > 0 else h[k]
            outputs.append(z)
        h = torch.stack(h)
        return torch.stack(outputs), ((h, torch.stack(c)) if lstm else h)


class CharModel(nn.Module):
    """Characters in (one-hot, or an embedding), stacked recurrent layers, a linear decoder out.
    Time-major like rnnlab: inputs [T, B], outputs [T, B, V]. The state is a tuple of [L, B, H]
    tensors: (h,), or (h, c) for an LSTM."""

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
        residual = f.meta.get("residual", "none")
        if kwargs.get("nonlinearity") == "sigmoid" or residual != "none":
            self.rnn = WrittenRNN(f.cell, residual=residual, **kwargs)
        else:
            self.rnn = RNN_CLASSES[f.cell](**kwargs)
        self.lstm = f.cell == "lstm"
        self.attend = f.meta.get("attention", "none") == "dot"
        if self.attend:
            # W_a [H, H]: u_s = W_a z_s, and the score of s at step t is z_t . u_s.
            self.attention = nn.Linear(f.hidden, f.hidden, bias=False)
        self.decoder = nn.Linear(f.hidden * (2 if self.attend else 1), v)

    def head(self, out):
        """The decoder over the window's outputs z [T, B, H]; with attention it reads [z_t ; a_t],
        a_t = sum over s <= t of alpha_ts z_s, alpha_t = softmax_s(z_t . W_a z_s), within the window."""
        if not self.attend:
            return self.decoder(out)
        t = out.shape[0]
        scores = torch.einsum("tbh,sbh->bts", out, self.attention(out))
        later = torch.triu(torch.ones(t, t, dtype=torch.bool, device=out.device), diagonal=1)
        alpha = torch.softmax(scores.masked_fill(later, -math.inf), dim=-1)
        return self.decoder(torch.cat([out, torch.einsum("bts,sbh->tbh", alpha, out)], dim=-1))

    def forward(self, x, state):
        if self.embedding is not None:
            inputs = self.embedding(x)
        else:
            inputs = F.one_hot(x, self.vocab_size).to(self.decoder.weight.dtype)
        out, state = self.rnn(inputs, state if self.lstm else state[0])
        return self.head(out), state if self.lstm else (state,)


# ---------------------------------------------------------------- the data


def read_ids(path, vocab):
    """The text's characters as indices into the model's vocabulary."""
    try:
        with open(path, "rb") as f:
            text = f.read().decode("utf-8")  # bytes: no newline translation, a BOM stays a character
    except (OSError, UnicodeDecodeError) as e:
        fail(f"cannot read the text `{path}`: {e}")
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


# ---------------------------------------------------------------- the run


class Run:
    """This process's part of the run: the model, its optimizer, its streams with their carried
    state, and where the run is (steps, characters, the next window)."""

    def __init__(self, f, text, rank, world, device):
        self.f, self.s, self.world, self.device = f, f.settings, world, device
        self.batch, self.seq_len = int(self.s["batch"]), int(self.s["seq-len"])
        self.mine = my_streams(self.batch, rank, world)
        ids = read_ids(text, f.vocab)
        held_out = f.number("train.held_out") if "train.held_out" in f.meta else 0
        self.streams = Streams(ids[: len(ids) - held_out], self.batch, self.seq_len, self.mine)

        self.model = CharModel(f)
        self.model.load_state_dict({name: f.tensors[name] for name, _ in self.model.named_parameters()})
        self.model.to(device)
        self.params = list(self.model.parameters())
        self.opt = make_optimizer(self.params, self.s)
        restore_optimizer(self.opt, self.model, f, device)
        self.net = self.model
        if world > 1:
            device_ids = [device.index] if device.type == "cuda" else None
            self.net = nn.parallel.DistributedDataParallel(self.model, device_ids=device_ids)

        parts = "hc" if f.cell == "lstm" else "h"
        self.state = tuple(self.stored_state(which) for which in parts)
        self.counters = {key: f.number(key) for key in ("train.step", "train.chars", "train.cursor", "optim.t")}

    def stored_state(self, which):
        """This process's streams' share of the file's carried state `which` (h or c): [L, b, H]."""
        layers = [self.f.tensors[f"state.{which}_l{k}"][self.mine.start:self.mine.stop] for k in range(self.f.layers)]
        return torch.stack(layers).to(self.device)

    def step(self):
        """One window of every stream: forward, backward, clipping, update. Returns the mean loss
        over all B·T positions (of every process), before the update."""
        c = self.counters
        k = c["train.cursor"] if c["train.cursor"] < self.streams.windows else 0
        if k == 0:  # a new epoch starts from a zero state
            self.state = tuple(map(torch.zeros_like, self.state))
        x, y = self.streams.window(k)
        logits, state = self.net(x.to(self.device), self.state)
        loss_sum = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.to(self.device).reshape(-1), reduction="sum")
        # DDP averages the gradients over the processes, so each scales its own sum by
        # processes / (B·T): the gradient of the mean over every process's positions.
        positions = self.batch * self.seq_len
        self.opt.zero_grad()
        (loss_sum * (self.world / positions)).backward()
        clip_gradients(self.params, self.s)
        self.opt.step()
        self.state = tuple(h.detach() for h in state)  # truncated backpropagation through time
        c["train.cursor"] = k + 1
        c["train.step"] += 1
        c["optim.t"] += 1
        c["train.chars"] += positions
        return total(loss_sum, self.world).item() / positions

    def full_state(self):
        """The carried state of all B streams, from every process's share: [L, B, H] each."""
        out = []
        for part in self.state:
            whole = part.new_zeros(part.shape[0], self.batch, part.shape[2])
            whole[:, self.mine.start:self.mine.stop] = part
            out.append(total(whole, self.world).cpu())
        return out

    def checkpoint(self):
        """The weights, the optimizer's moments, the carried state and the counters as rnnlab's
        checkpoint tensors and metadata. Every process takes part (for the carried state)."""
        first, second = MOMENTS[self.s["optimizer"]]
        tensors = {}
        for name, p in self.model.named_parameters():
            moments = self.opt.state.get(p, {})
            tensors[name] = p
            tensors[f"optim.s1.{name}"] = moments.get(first, torch.zeros_like(p))
            if second:
                tensors[f"optim.s2.{name}"] = moments.get(second, torch.zeros_like(p))
        for which, part in zip("hc", self.full_state()):
            for k in range(part.shape[0]):
                tensors[f"state.{which}_l{k}"] = part[k]
        tensors = {name: t.detach().cpu().contiguous() for name, t in tensors.items()}
        meta = dict(self.f.meta, **{key: str(value) for key, value in self.counters.items()})
        return tensors, meta


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
    rank, world, device = start_processes(args.device)
    run = Run(f, args.text, rank, world, device)
    losses = []
    every = max(1, args.steps // 20)
    for done in range(1, args.steps + 1):
        loss = run.step()
        step = run.counters["train.step"]
        if not math.isfinite(loss):
            fail(f"step {step}: the loss is {loss}; lower the learning rate or clip the gradients")
        losses.append(loss)
        if rank == 0 and (done % every == 0 or done == args.steps):
            print(f"step {step}  loss {loss:.4f}", file=sys.stderr)
    saved = run.checkpoint() if args.out else None
    if rank == 0:
        if args.log_json:
            with open(args.log_json, "w") as out:
                json.dump({"losses": losses}, out)
        if saved:
            tmp = args.out + ".tmp"  # written whole, then renamed: never a half-written model
            save_safetensors(saved[0], tmp, saved[1])
            os.replace(tmp, args.out)
            print(f"wrote `{args.out}` (step {run.counters['train.step']})", file=sys.stderr)
    if world > 1:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
