#!/usr/bin/env python3
"""PyTorch reference timings for the project's U-Net (docs/benchmarks.md).

The same architecture as src-main/ml (docs/macl-method.md 1.1): 4 encoder levels of
2 x [conv3x3 (bias) -> BN -> LeakyReLU 0.01] + maxpool, a centre of
2 x [conv3x3 -> ReLU] (no BN), decoder blocks of convT 2x2 -> concat skip ->
2 x [conv3x3 -> BN -> LeakyReLU], a 1x1 head without bias; fp32, NCHW on CUDA.

Timed like `macl bench` (median of timed steps after warm-up, CUDA synchronised):
  - fine-tune step: batch 8, 256x256, width 32, K = 4 classes, masked CE
    (labels -1 ignored), Adam; forward + backward + update.
  - pre-train-like step: batch 16, widths 32 and 16: the MACL forward (shared
    encoder on the full-size view and its augmented twin, encoder + decoder
    blocks 1-2 on both x0.25 views, projectors) with a stand-in loss of the
    same tensors (mean of projections + L1 bottleneck term), SGD momentum 0.9.
    It costs the same convolutions as the real step; the SupCon matrices are
    small next to them.
  - inference: batch 8 slices, eval mode, slices/s.

Run on a GPU machine with torch installed:
    python3 bench/torch_unet.py            # prints a table
    python3 bench/torch_unet.py --json     # one JSON object
Compare with `macl bench --backend webgpu` on the same GPU; the target is the
project's step time within 3x of these.
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_bn(cin, cout):
    return [nn.Conv2d(cin, cout, 3, padding=1, bias=True), nn.BatchNorm2d(cout), nn.LeakyReLU(0.01)]


class Encoder(nn.Module):
    def __init__(self, width, cin=1):
        super().__init__()
        ch = [width, 2 * width, 4 * width, 8 * width]
        self.levels = nn.ModuleList()
        prev = cin
        for c in ch:
            self.levels.append(nn.Sequential(*conv_bn(prev, c), *conv_bn(c, c)))
            prev = c
        centre = 16 * width
        self.centre = nn.Sequential(nn.Conv2d(prev, centre, 3, padding=1), nn.ReLU(), nn.Conv2d(centre, centre, 3, padding=1), nn.ReLU())

    def forward(self, x):
        skips = []
        for level in self.levels:
            x = level(x)
            skips.append(x)
            x = F.max_pool2d(x, 2)
        return self.centre(x), skips


class DecoderBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.up = nn.ConvTranspose2d(cin, cout, 2, stride=2)
        self.convs = nn.Sequential(*conv_bn(2 * cout, cout), *conv_bn(cout, cout))

    def forward(self, x, skip):
        return self.convs(torch.cat([self.up(x), skip], 1))


def decoder_blocks(width, count):
    chans = [16 * width, 8 * width, 4 * width, 2 * width, width]
    return nn.ModuleList([DecoderBlock(chans[i], chans[i + 1]) for i in range(count)])


class UNet(nn.Module):
    def __init__(self, width, classes):
        super().__init__()
        self.encoder = Encoder(width)
        self.decoder = decoder_blocks(width, 4)
        self.head = nn.Conv2d(width, classes, 1, bias=False)

    def forward(self, x):
        h, skips = self.encoder(x)
        for i, block in enumerate(self.decoder):
            h = block(h, skips[3 - i])
        return self.head(h)


class MaclModule(nn.Module):
    """Encoder + decoder blocks 1-2 + the three projectors (docs/macl-method.md 2.2)."""

    def __init__(self, width):
        super().__init__()
        centre, dim = 16 * width, 4 * width
        self.encoder = Encoder(width)
        self.decoder = decoder_blocks(width, 2)
        self.aux_pix = nn.Sequential(*conv_bn(centre, dim), *conv_bn(dim, dim))
        self.aux_ins = nn.Sequential(nn.Linear(centre, dim), nn.ReLU(), nn.Linear(dim, dim))
        self.dom_ins = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Linear(dim, dim))

    def dominant(self, x):
        h, skips = self.encoder(x)
        bottleneck = h
        for i, block in enumerate(self.decoder):
            h = block(h, skips[3 - i])
        return bottleneck, h

    def forward(self, aux, aux_varied, dom, dom_varied):
        y_aux, _ = self.encoder(aux)
        z_pix_aux = self.aux_pix(y_aux)
        z_ins_aux = self.aux_ins(self.encoder(aux_varied)[0].mean((2, 3)))
        y_dom, z_pix_dom = self.dominant(dom)
        z_ins_dom = self.dom_ins(self.dominant(dom_varied)[1].mean((2, 3)))
        er = (F.interpolate(y_aux, size=y_dom.shape[2:], mode="bilinear", align_corners=True) - y_dom).abs().mean()
        return z_pix_aux.mean() + z_pix_dom.mean() + z_ins_aux.mean() + z_ins_dom.mean() + er


def timed(step, warmup, steps):
    for _ in range(warmup):
        step()
    torch.cuda.synchronize()
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        step()
        torch.cuda.synchronize()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bench_finetune(size, batch, width, steps):
    model = UNet(width, 4).cuda().train()
    opt = torch.optim.Adam(model.parameters(), lr=5e-4, weight_decay=1e-5)
    x = torch.rand(batch, 1, size, size, device="cuda")
    labels = torch.full((batch, size, size), -1, dtype=torch.long, device="cuda")
    labels[:, ::8, :] = 1

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), labels, ignore_index=-1)
        loss.backward()
        opt.step()

    return step


def bench_pretrain(size, batch, width, steps):
    model = MaclModule(width).cuda().train()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-5)
    aux = torch.rand(batch, 1, size, size, device="cuda")
    aux_varied = torch.rand(batch, 1, size, size, device="cuda")
    dom = F.interpolate(aux, scale_factor=0.25, mode="bilinear", align_corners=True)
    dom_varied = F.interpolate(aux_varied, scale_factor=0.25, mode="bilinear", align_corners=True)

    def step():
        opt.zero_grad(set_to_none=True)
        model(aux, aux_varied, dom, dom_varied).backward()
        opt.step()

    return step


def bench_inference(size, batch, width, steps):
    model = UNet(width, 4).cuda().eval()
    x = torch.rand(batch, 1, size, size, device="cuda")

    def step():
        with torch.no_grad():
            model(x).softmax(1).argmax(1)

    return step


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not torch.cuda.is_available():
        raise SystemExit("torch_unet.py: CUDA is not available (this benchmark is for a GPU machine).")
    torch.backends.cudnn.benchmark = True
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False  # fp32, as the project runs
    rows = []
    for kind, batch, width, make in [
        ("pretrain", 16, 32, bench_pretrain),
        ("pretrain", 16, 16, bench_pretrain),
        ("finetune", 8, 32, bench_finetune),
        ("inference", 8, 32, bench_inference),
    ]:
        torch.cuda.reset_peak_memory_stats()
        ms = timed(make(args.size, batch, width, args.steps), 3, args.steps)
        rows.append({
            "kind": kind, "size": args.size, "batch": batch, "width": width, "stepMs": ms,
            "slicesPerSecond": batch * 1000 / ms, "peakCudaBytes": torch.cuda.max_memory_allocated(),
        })
        torch.cuda.empty_cache()
    device = torch.cuda.get_device_name(0)
    if args.json:
        print(json.dumps({"benchmark": "torch-unet", "device": device, "torch": torch.__version__, "rows": rows}))
        return
    print(f"PyTorch {torch.__version__} on {device}, fp32 (TF32 off)")
    for r in rows:
        print(f"  {r['kind']:9} {r['size']}x{r['size']} b{r['batch']} f{r['width']}: {r['stepMs']:8.1f} ms/step  "
              f"{r['slicesPerSecond']:8.1f} slices/s  peak {r['peakCudaBytes'] / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
