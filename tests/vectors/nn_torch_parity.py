#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Writes random MLPs as Keras-style Sequential JSON + safetensors (by hand: struct + json,
# not by the engine), inputs, and PyTorch float32 outputs, plus a short Adam run, into OUTDIR
# for tests/unit/nn/test_nn_torch.c. Usage: nn_torch_parity.py OUTDIR
import json, os, struct, sys
import torch

torch.manual_seed(1234)
torch.set_num_threads(1)
out = sys.argv[1]
os.makedirs(out, exist_ok=True)

ACTS = {
    "linear": lambda x: x, "relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid,
    "softplus": torch.nn.functional.softplus, "elu": torch.nn.functional.elu,
    "leaky_relu": lambda x: torch.nn.functional.leaky_relu(x, 0.2),
    "gelu": lambda x: torch.nn.functional.gelu(x), "softmax": lambda x: torch.softmax(x, dim=-1),
}

def write_safetensors(path, tensors, dtype="F32"):
    fmt = {"F32": ("<f", torch.float32), "F64": ("<d", torch.float64), "F16": ("<e", torch.float16)}[dtype]
    hdr, blobs, off = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().to(fmt[1]).contiguous()
        vals = t.flatten().tolist()
        b = struct.pack("<%d%s" % (len(vals), fmt[0][1]), *vals)
        hdr[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(hdr).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))

def f32(path, t):
    with open(path, "wb") as f:
        f.write(struct.pack("<%df" % t.numel(), *t.detach().float().flatten().tolist()))

def arch_json(widths, acts, style):
    layers = []
    if style == "keras3":
        layers.append({"module": "keras.layers", "class_name": "InputLayer",
                       "config": {"batch_shape": [None, widths[0]], "dtype": "float32", "name": "input_layer"}})
    for i, a in enumerate(acts):
        cfg = {"name": "dense_%d" % i, "trainable": True, "units": widths[i + 1], "activation": a,
               "use_bias": True, "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}}}
        if style == "keras3":
            cfg["dtype"] = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}}
        else:
            cfg["dtype"] = "float32"
            if i == 0:
                cfg["batch_input_shape"] = [None, widths[0]]
        layers.append({"class_name": "Dense", "config": cfg})
    return {"class_name": "Sequential", "config": {"name": "sequential", "layers": layers},
            "keras_version": "3.3.3" if style == "keras3" else "tfjs-layers 4.20.0", "backend": "tensorflow"}

def forward(ws, bs, acts, x):
    for w, b, a in zip(ws, bs, acts):
        x = ACTS[a](x @ w + b)
    return x

manifest = []
cases = [([1, 64, 64, 1], ["tanh", "tanh", "linear"]),
         ([7, 33, 5], ["relu", "softmax"]),
         ([13, 29, 17, 3], ["gelu", "elu", "sigmoid"]),
         ([5, 40, 9, 2], ["softplus", "leaky_relu", "linear"]),
         ([784, 256, 128, 10], ["relu", "relu", "linear"])]
for ci, (widths, acts) in enumerate(cases):
    ws = [torch.randn(widths[i], widths[i + 1]) * (1.5 / widths[i] ** 0.5) for i in range(len(acts))]
    bs = [torch.randn(widths[i + 1]) * 0.1 for i in range(len(acts))]
    dtype = ["F32", "F64", "F16", "F32", "F32"][ci]
    if dtype == "F16":  # the engine converts on load; compare against the rounded weights
        ws = [w.half().float() for w in ws]
        bs = [b.half().float() for b in bs]
    d = os.path.join(out, "case%d" % ci)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "arch.json"), "w") as f:
        json.dump(arch_json(widths, acts, "keras3" if ci % 2 else "tfjs"), f)
    t = {}
    for i in range(len(acts)):
        t["dense_%d/kernel" % i] = ws[i]
        t["dense_%d/bias" % i] = bs[i]
    write_safetensors(os.path.join(d, "params.safetensors"), t, dtype)
    batch = 67
    x = torch.randn(batch, widths[0]) * 2
    y = forward(ws, bs, acts, x)
    f32(os.path.join(d, "inputs.bin"), x)
    f32(os.path.join(d, "expected.bin"), y)
    manifest.append("forward case%d %d %d %d" % (ci, batch, widths[0], widths[-1]))

# training: Adam(lr=1e-2, eps=1e-7), 5 steps of 32 samples, on MSE and the three
# cross-entropy forms (final softmax, final sigmoid = binary CE, final linear = logits)
def ce_loss(y, t, final):
    if final == "softmax":
        return -(t * torch.log(y)).sum(dim=1).mean()
    if final == "sigmoid":
        return -(t * torch.log(y) + (1 - t) * torch.log(1 - y)).sum(dim=1).mean()
    return -(t * torch.log_softmax(y, dim=1)).sum(dim=1).mean()

train_cases = [("train_mse", [1, 16, 16, 1], ["tanh", "tanh", "linear"], "mse"),
               ("train_ce_softmax", [3, 16, 8, 4], ["gelu", "elu", "softmax"], "ce"),
               ("train_bce_sigmoid", [2, 12, 12, 2], ["softplus", "leaky_relu", "sigmoid"], "ce"),
               ("train_ce_logits", [4, 10, 10, 3], ["relu", "sigmoid", "linear"], "ce")]
for name, widths, acts, loss_kind in train_cases:
    nl = len(acts)
    ws = [(torch.rand(widths[i], widths[i + 1]) * 2 - 1) * (6 / (widths[i] + widths[i + 1])) ** 0.5 for i in range(nl)]
    bs = [torch.randn(widths[i + 1]) * 0.1 for i in range(nl)]
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "arch.json"), "w") as f:
        json.dump(arch_json(widths, acts, "keras3"), f)
    names = ["dense_%d/kernel" % i for i in range(nl)] + ["dense_%d/bias" % i for i in range(nl)]
    write_safetensors(os.path.join(d, "init.safetensors"), dict(zip(names, ws + bs)))
    params = [p.clone().requires_grad_(True) for p in ws + bs]
    opt = torch.optim.Adam(params, lr=1e-2, eps=1e-7)
    steps, batch = 5, 32
    xs = torch.rand(steps, batch, widths[0]) * 2 - 1
    if loss_kind == "mse":
        ts = xs * xs
    elif acts[-1] == "sigmoid":
        ts = (torch.rand(steps, batch, widths[-1]) > 0.5).float()
    else:
        ts = torch.softmax(torch.randn(steps, batch, widths[-1]) * 2, dim=2)
    losses = []
    for s in range(steps):
        opt.zero_grad()
        y = forward(params[:nl], params[nl:], acts, xs[s])
        loss = ((y - ts[s]) ** 2).mean() if loss_kind == "mse" else ce_loss(y, ts[s], acts[-1])
        loss.backward()
        opt.step()
        losses.append(loss.item())
    f32(os.path.join(d, "inputs.bin"), xs)
    f32(os.path.join(d, "targets.bin"), ts)
    f32(os.path.join(d, "losses.bin"), torch.tensor(losses))
    write_safetensors(os.path.join(d, "expected.safetensors"), dict(zip(names, params)))
    manifest.append("%s %s %d %d %d" % ("train_" + loss_kind, name, steps, batch, widths[0] * 1000 + widths[-1]))
with open(os.path.join(out, "manifest.txt"), "w") as f:
    f.write("\n".join(manifest) + "\n")
print("ok")
