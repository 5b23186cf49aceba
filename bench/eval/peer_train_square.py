#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Peer for bench/eval/run.sh: the square task trained end to end in PyTorch (float32, one
# thread) the way `zara train` does it — 1→16→16→1 tanh from the same init, Adam lr 0.01,
# batch 256 of x ~ U(-1, 1) with target x², 2000 steps, R² measured on 1000 fresh points —
# and the wall time. Prints "torch <version> <seconds> <r2>".
import json
import struct
import sys
import time

import torch

torch.set_num_threads(1)


def load_safetensors(path):
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        b, e = t["data_offsets"]
        out[name] = torch.frombuffer(bytearray(data[b:e]), dtype=torch.float32).reshape(t["shape"])
    return out


w = load_safetensors(sys.argv[1])
layers = []
for name, act in (("hidden1", True), ("hidden2", True), ("y", False)):
    k = w[name + "/kernel"]
    lin = torch.nn.Linear(k.shape[0], k.shape[1])
    with torch.no_grad():
        lin.weight.copy_(k.t())
        lin.bias.copy_(w[name + "/bias"])
    layers.append(lin)
    if act:
        layers.append(torch.nn.Tanh())
model = torch.nn.Sequential(*layers)
opt = torch.optim.Adam(model.parameters(), lr=0.01, eps=1e-7)
g = torch.Generator().manual_seed(1)
t0 = time.perf_counter()
for step in range(2000):
    x = torch.rand(256, 1, generator=g) * 2 - 1
    loss = torch.mean((model(x) - x * x) ** 2)
    opt.zero_grad()
    loss.backward()
    opt.step()
with torch.no_grad():
    x = torch.rand(1000, 1, generator=g) * 2 - 1
    y = x * x
    r2 = 1 - torch.sum((model(x) - y) ** 2) / torch.sum((y - y.mean()) ** 2)
print("torch", torch.__version__, "%.3f" % (time.perf_counter() - t0), "%.6f" % r2.item())
