#!/usr/bin/python3
"""Trains the reader's convolutional character network and writes it as ONNX for OpenCV's dnn module.

Called by the trainer (Program.cs) with the samples it aligned: PREFIX.f32 holds one row of the bridge's
features per sample (EA_CHAR_FEATURES floats: the MLP's HOG, grid and shape, then the 32 x 24 crop,
ink +1 and ground -1, and the shape again), PREFIX.i32 the classes (A-Z, 0-9, 36 "not a character"),
in the order the trainer shuffled them; every tenth row is held back (whole plates), to measure the
network and fit its softmax temperature. Deterministic: one thread, every random choice from --seed.

usage: train_net.py PREFIX OUT.onnx [--seed N] [--epochs N]
needs: apt-get install python3-torch python3-numpy
"""
import argparse
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

CROP_H, CROP_W, SHAPE, CLASSES = 32, 24, 3, 37
MLP_FEATURES = 315  # the bridge's features start with the MLP's; the network reads what follows


class CharNet(nn.Module):
    """Three 3x3 convolutions (8, 16, 32 maps, each halved by max-pooling) and two dense layers; the row
    shape (aspect, height and offset in the row) joins at the first dense layer, which is kept as two
    summed parts because OpenCV 4.6's ONNX importer cannot concatenate the flattened maps with it."""

    def __init__(self, width=8):
        super().__init__()
        self.c1 = nn.Conv2d(1, width, 3, padding=1)
        self.c2 = nn.Conv2d(width, 2 * width, 3, padding=1)
        self.c3 = nn.Conv2d(2 * width, 4 * width, 3, padding=1)
        self.maps = nn.Linear(4 * width * (CROP_H // 8) * (CROP_W // 8), 128)
        self.shape = nn.Linear(SHAPE, 128, bias=False)
        self.out = nn.Linear(128, CLASSES)
        self.drop = nn.Dropout(0.3)

    def logits(self, pixels, shape):
        x = F.max_pool2d(F.relu(self.c1(pixels)), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        x = F.max_pool2d(F.relu(self.c3(x)), 2)
        h = F.relu(self.maps(x.flatten(1)) + self.shape(shape))
        return self.out(self.drop(h))

    def forward(self, pixels, shape):  # what the reader runs: probabilities
        return F.softmax(self.logits(pixels, shape), 1)


def load(prefix):
    labels = np.fromfile(prefix + ".i32", np.int32)
    features = np.fromfile(prefix + ".f32", np.float32).reshape(len(labels), -1)
    net_part = features[:, MLP_FEATURES:]
    if net_part.shape[1] != CROP_H * CROP_W + SHAPE:
        sys.exit(f"error: {prefix}.f32 rows hold {features.shape[1]} features, not the bridge's {MLP_FEATURES + CROP_H * CROP_W + SHAPE}")
    pixels = torch.from_numpy(np.ascontiguousarray(net_part[:, :CROP_H * CROP_W])).reshape(-1, 1, CROP_H, CROP_W)
    shape = torch.from_numpy(np.ascontiguousarray(net_part[:, CROP_H * CROP_W:]))
    return pixels, shape, torch.from_numpy(labels.astype(np.int64))


def jitter(pixels, rng):
    # A real box's edges never fall exactly where the renderer's did: shift the batch by up to a pixel.
    dx, dy = (int(v) for v in rng.integers(-1, 2, size=2))
    padded = F.pad(pixels, (1, 1, 1, 1), value=-1.0)
    return padded[:, :, 1 + dy:1 + dy + CROP_H, 1 + dx:1 + dx + CROP_W]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("prefix")
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=10)
    a = parser.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(1)
    rng = np.random.default_rng(a.seed)

    pixels, shape, labels = load(a.prefix)
    rows = np.arange(len(labels))
    held = torch.from_numpy(rows[rows % 10 == 9])
    train = rows[rows % 10 != 9]
    net = CharNet()
    batch = 128
    steps = a.epochs * ((len(train) + batch - 1) // batch)
    optimiser = torch.optim.Adam(net.parameters(), 1e-3, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, 3e-3, total_steps=steps)
    for epoch in range(a.epochs):
        net.train()
        order = rng.permutation(train)
        total = 0.0
        for b in range(0, len(order), batch):
            i = torch.from_numpy(order[b:b + batch])
            loss = F.cross_entropy(net.logits(jitter(pixels[i], rng), shape[i]), labels[i], label_smoothing=0.05)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += loss.item() * len(i)
        net.eval()
        with torch.no_grad():
            accuracy = (net.logits(pixels[held], shape[held]).argmax(1) == labels[held]).float().mean().item()
        print(f"epoch {epoch + 1}/{a.epochs}: loss {total / len(train):.4f}, held-back tenth {accuracy:.1%} correct", file=sys.stderr, flush=True)

    # The softmax temperature that makes the held-back samples' classes most likely (calibration), baked
    # into the last layer so that the file's probabilities are the calibrated ones.
    with torch.no_grad():
        logits = net.logits(pixels[held], shape[held])
        temperatures = [0.3 * 1.05 ** k for k in range(60)]
        best = min(temperatures, key=lambda t: F.cross_entropy(logits * t, labels[held]).item())
        net.out.weight.mul_(best)
        net.out.bias.mul_(best)
    print(f"temperature {best:.3f}", file=sys.stderr)
    # A fixed batch of 4 in the graph: OpenCV's importer takes any batch from it (it fails on dynamic axes).
    torch.onnx.export(net, (torch.zeros(4, 1, CROP_H, CROP_W), torch.zeros(4, SHAPE)), a.out,
                      input_names=["pixels", "shape"], output_names=["probs"], opset_version=11)
    print(f"wrote {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
