#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# The PyTorch float32 peer of bench_nn.c, single-threaded: the same MLPs, batches and Adam
# workload. Prints "torch <case> <value>" lines and which BLAS torch was built with.
import sys, time
import torch

torch.set_num_threads(1)
secs = float(sys.argv[1]) if len(sys.argv) > 1 else 0.5
cfg = torch.__config__.show()
info = [p for l in cfg.splitlines() for p in l.split(", ") if "BLAS_INFO" in p or "MKLDNN" in p]
torch.rand(8, 8) @ torch.rand(8, 8)  # loads the BLAS
with open("/proc/self/maps") as f:
    libs = sorted({l.split()[-1] for l in f if "blas" in l.lower()})
print("# torch %s, %d thread(s); built with %s; BLAS loaded: %s"
      % (torch.__version__, torch.get_num_threads(), ", ".join(x.strip(" -") for x in info),
         ", ".join(libs) or "none found"))

def mlp(widths, act):
    layers = []
    for i in range(len(widths) - 1):
        layers.append(torch.nn.Linear(widths[i], widths[i + 1]))
        if i < len(widths) - 2:
            layers.append(act())
    return torch.nn.Sequential(*layers)

for name, widths, act in (("small", [1, 64, 64, 1], torch.nn.Tanh), ("large", [784, 256, 128, 10], torch.nn.ReLU)):
    m = mlp(widths, act).eval()
    for b in (1, 64, 4096):
        x = torch.rand(b, widths[0]) * 2 - 1
        with torch.inference_mode():
            m(x)
            n, t0 = 0, time.perf_counter()
            while True:
                for _ in range(8):
                    m(x)
                n += 8
                t = time.perf_counter() - t0
                if t >= secs:
                    break
        print("torch forward_%s_b%d %.0f" % (name, b, n * b / t), flush=True)

m = mlp([1, 64, 64, 1], torch.nn.Tanh)
opt = torch.optim.Adam(m.parameters(), lr=1e-3)
x = torch.linspace(-1, 1, 256).unsqueeze(1)
y = x * x
t0 = time.perf_counter()
for _ in range(1000):
    opt.zero_grad()
    loss = ((m(x) - y) ** 2).mean()
    loss.backward()
    opt.step()
el = time.perf_counter() - t0
print("torch adam_steps_per_s %.0f" % (1000 / el))
print("# 1000 Adam steps in %.3f s, final loss %.6f" % (el, loss.item()))
