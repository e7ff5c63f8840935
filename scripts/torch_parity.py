#!/usr/bin/env python3
"""Do the PyTorch script of `rnnlab export-torch` and `rnnlab train` make the same run?

For each case: `rnnlab export-torch` writes the script, its starting weights and the text;
`rnnlab train --log-json` and `python train.py --log-json` each train the same number of steps
(and, with torchrun, two processes sharing the streams); every step's loss must agree to 1e-4
relative. Prints the worst relative difference of each case and exits 1 when one is over.

    python3 scripts/torch_parity.py --rnnlab BIN --python VENV/bin/python [--full] [--steps N]

The quick set (what CI runs) is five small cases on one process; two of them, one with an uneven
split of the streams, also under torchrun with two processes, and with their round trips: rnnlab
continues from PyTorch's checkpoint as from its own, and PyTorch from rnnlab's (optimizer state,
carried state and position). Every torch process spends seconds importing torch, so the quick set
keeps them few and runs three cases at once (--jobs). --full runs every cell x layers x input x
optimizer, on one process and on two.
Run through scripts/torch-parity.sh, which builds rnnlab and makes the virtual environment.
"""

import argparse
import concurrent.futures
import itertools
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOLERANCE = 1e-4
# The first 3,000 characters of Hamlet: with 10% held out, batch 4 and seq-len 16 an epoch is
# 42 windows, so 100 steps also cross two epoch boundaries (the state resets to zero there).
TEXT_CHARS = 3000
COMMON = ["--hidden", "24", "--seq-len", "16", "--val", "0.1"]
OPTIMIZERS = {
    "adam": ["--optimizer", "adam", "--lr", "0.005"],
    "sgd": ["--optimizer", "sgd", "--lr", "0.1", "--momentum", "0.9", "--weight-decay", "0.001"],
    "rmsprop": ["--optimizer", "rmsprop", "--lr", "0.002", "--clip-mode", "value", "--clip", "0.5"],
    "adagrad": ["--optimizer", "adagrad", "--lr", "0.05"],
}


def run(cmd, env=None):
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        sys.exit(f"torch_parity: `{' '.join(cmd)}` failed ({p.returncode}):\n{p.stdout}{p.stderr}")
    return p


def losses(path):
    with open(path) as f:
        return json.load(f)["losses"]


def worst(ours, theirs, what):
    if len(ours) != len(theirs):
        sys.exit(f"torch_parity: {what}: {len(ours)} rnnlab losses, {len(theirs)} PyTorch losses")
    return max(abs(a - b) / abs(a) for a, b in zip(ours, theirs))


class Case:
    def __init__(self, name, flags, batch, steps=None, two=True):
        """steps: this case's own number of steps (and no round trip), instead of --steps;
        two: also under torchrun with two processes (and, with its own steps, a round trip)."""
        self.name, self.flags, self.batch, self.steps, self.two = name, flags, batch, steps, two

    def settings(self):
        return COMMON + ["--batch", str(self.batch)] + self.flags


class Runner:
    def __init__(self, args, work):
        self.rnnlab, self.python, self.steps, self.work = args.rnnlab, args.python, args.steps, work
        self.torchrun = os.path.join(os.path.dirname(args.python), "torchrun")
        self.text = os.path.join(work, "text.txt")
        with open(os.path.join(ROOT, "www", "corpora", "hamlet.txt"), encoding="utf-8", newline="") as f:
            text = f.read()[:TEXT_CHARS]
        with open(self.text, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        # One thread per process: on a busy machine torch's own thread pool only waits for cores.
        self.env = dict(os.environ, OMP_NUM_THREADS="1")

    def path(self, case, name):
        return os.path.join(self.work, f"{case.name}-{name}")

    def export(self, case):
        out = self.path(case, "export")
        run([self.rnnlab, "export-torch", "--text", self.text, "--out", out] + case.settings())
        return os.path.join(out, "train.py")

    def rnnlab_losses(self, case, extra=()):
        log = self.path(case, "rnnlab.json")
        cmd = [self.rnnlab, "train", "--text", self.text, "--steps", str(case.steps or self.steps), "--log-json", log]
        run(cmd + case.settings() + list(extra))
        return losses(log)

    def torch_losses(self, script, case, processes, extra=()):
        log = self.path(case, f"torch{processes}.json")
        if processes == 1:
            cmd = [self.python, script]
        else:
            cmd = [self.torchrun, "--standalone", f"--nproc_per_node={processes}", script]
        run(cmd + ["--steps", str(case.steps or self.steps), "--log-json", log] + list(extra), env=self.env)
        return losses(log)

    def case(self, case, processes):
        """The worst relative difference on one process, and on each of `processes` after it.
        rnnlab's run and the last PyTorch run save their checkpoints (for `round_trip`)."""
        script = self.export(case)
        ours = self.rnnlab_losses(case, ["--out", self.path(case, "rnnlab.safetensors")])
        out = ["--out", self.path(case, "torch.safetensors")]
        return [worst(ours, self.torch_losses(script, case, k, out), f"{case.name} x{k}") for k in processes]

    def round_trip(self, case):
        """After `case`, 20 more steps from each side's checkpoint: rnnlab from PyTorch's against
        rnnlab from its own, and PyTorch (two processes) from rnnlab's. The worst of the two."""
        ours, theirs = self.path(case, "rnnlab.safetensors"), self.path(case, "torch.safetensors")
        after = []
        for start in (ours, theirs):
            log = self.path(case, "after.json")
            cmd = [self.rnnlab, "train", "--text", self.text, "--init", start, "--log-json", log, "--steps", "20"]
            p = run(cmd + case.settings())
            if f"resuming at step {self.steps}" not in p.stderr:
                sys.exit(f"torch_parity: rnnlab did not resume `{start}`:\n{p.stderr}")
            after.append(losses(log))
        script = os.path.join(self.path(case, "export"), "train.py")
        log = self.path(case, "torch-after.json")
        cmd = [self.torchrun, "--standalone", "--nproc_per_node=2", script, "--init", ours, "--steps", "20"]
        run(cmd + ["--log-json", log], env=self.env)
        return max(worst(after[0], after[1], "rnnlab from PyTorch"), worst(after[0], losses(log), "PyTorch from rnnlab"))


def cases(full):
    if not full:
        return [
            # Clipping that bites (by value, and by norm), and an uneven split of 3 streams.
            Case("lstm-l2-embed-adam-clipvalue", ["--cell", "lstm", "--layers", "2", "--embed", "8"]
                 + OPTIMIZERS["adam"] + ["--clip-mode", "value", "--clip", "0.02"], 3),
            Case("gru-l1-onehot-sgd-clipnorm", ["--cell", "gru", "--layers", "1"] + OPTIMIZERS["sgd"]
                 + ["--clip", "0.1"], 4, two=False),
            # torch.nn.RNN has no sigmoid: train.py's WrittenRNN.
            Case("rnn-sigmoid-l2-embed-adam", ["--cell", "rnn", "--nonlinearity", "sigmoid", "--layers", "2",
                                               "--embed", "8"] + OPTIMIZERS["adam"], 4, two=False),
            # The remedies: residual connections (train.py's WrittenRNN) and dot attention.
            Case("gru-l2-reslayers-attn-adam", ["--cell", "gru", "--layers", "2", "--residual", "layers",
                                                "--attention", "dot"] + OPTIMIZERS["adam"], 4),
            # h_t = h_{t-1} + tanh(...) drifts with the state carried through the text: the loss
            # passes rnnlab's divergence threshold at step 3, so two steps.
            Case("rnn-tanh-l1-restime-adam", ["--cell", "rnn", "--residual", "time"] + OPTIMIZERS["adam"], 4,
                 steps=2, two=False),
        ]
    out = []
    for cell, layers, embed, opt in itertools.product(["rnn", "lstm", "gru"], [1, 2], [0, 8], OPTIMIZERS):
        name = f"{cell}-l{layers}-{'embed' if embed else 'onehot'}-{opt}"
        flags = ["--cell", cell, "--layers", str(layers), "--embed", str(embed)] + OPTIMIZERS[opt]
        out.append(Case(name, flags, 4))
    out.append(Case("rnn-relu-l1-onehot-sgd", ["--cell", "rnn", "--nonlinearity", "relu", "--lr", "0.02",
                                               "--optimizer", "sgd"], 4))
    for layers, opt in itertools.product([1, 2], OPTIMIZERS):
        out.append(Case(f"rnn-sigmoid-l{layers}-onehot-{opt}", ["--cell", "rnn", "--nonlinearity", "sigmoid",
                                                                "--layers", str(layers)] + OPTIMIZERS[opt], 4))
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rnnlab", required=True, help="the rnnlab binary")
    p.add_argument("--python", required=True, help="a python with torch and safetensors")
    p.add_argument("--full", action="store_true", help="every cell x layers x input x optimizer")
    p.add_argument("--steps", type=int, default=100)
    p.add_argument("--jobs", type=int, default=3, help="cases run at once (each process mostly waits "
                   "for torch to import)")
    args = p.parse_args()
    bad = 0
    with tempfile.TemporaryDirectory(prefix="rnnlab-parity-") as work:
        r = Runner(args, work)

        def case_and_trip(c):
            found = r.case(c, [1, 2] if c.two else [1])
            trip = r.round_trip(c) if not args.full and c.steps is None and c.two else None
            return found, trip

        print(f"{'case':42} {'1 process':>12} {'torchrun 2':>12}   (worst relative loss difference, {args.steps} steps)")
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            runs = [(c, pool.submit(case_and_trip, c)) for c in cases(args.full)]
            trips = []
            for c, f in runs:
                found, trip = f.result()
                flag = "" if max(found) <= TOLERANCE else "   OVER 1e-4"
                bad += flag != ""
                two = f"{found[1]:12.2e}" if c.two else f"{'-':>12}"
                print(f"{c.name:42} {found[0]:12.2e} {two}{flag}", flush=True)
                if trip is not None:
                    trips.append((c, trip))
        for c, trip in trips:
            flag = "" if trip <= TOLERANCE else "   OVER 1e-4"
            bad += flag != ""
            print(f"{'round trip: ' + c.name:42} {trip:12.2e} {'':12}{flag}")
    if bad:
        sys.exit(f"torch_parity: {bad} case(s) differ by more than {TOLERANCE} relative")
    print("torch_parity: every loss agrees to 1e-4 relative")


if __name__ == "__main__":
    main()
