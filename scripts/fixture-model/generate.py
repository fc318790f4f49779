#!/usr/bin/python3
"""Train + export the tiny AltSight fixture captioner and render the fixture images.

    /usr/bin/python3 scripts/fixture-model/generate.py [--skip-train] [--steps N]

Outputs (paths relative to the repository root):
  tests/fixtures/models/altsight-test/tiny-shapes-captioner/   Hub-layout model
  tests/fixtures/images/                                       fixture images + manifest.json

The model captions synthetic images of one plain shape on a light background as
"a {colour} {shape}". Everything is seeded, so reruns give the same model.
"""

import argparse
import io
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageDraw

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_common as ec  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MODEL_DIR = os.path.join(ROOT, "tests", "fixtures", "models", "altsight-test", "tiny-shapes-captioner")
IMAGES_DIR = os.path.join(ROOT, "tests", "fixtures", "images")

SEED = 1234
IMAGE_SIZE = 32

COLOURS = {  # name -> sRGB
    "red": (215, 35, 35),
    "green": (40, 160, 60),
    "blue": (35, 70, 215),
    "yellow": (245, 210, 30),
    "purple": (130, 55, 175),
    "orange": (245, 135, 25),
    "black": (25, 25, 25),
}
SHAPES = ["circle", "square", "triangle"]
BACKGROUNDS = [  # light colours that are not themselves a caption colour
    (255, 255, 255), (242, 242, 242), (225, 225, 225), (250, 246, 232),
    (234, 242, 252), (238, 250, 238), (252, 240, 244),
]

SPECIAL = {"pad": "[PAD]", "bos": "[BOS]", "eos": "[EOS]", "unk": "[UNK]"}
TOKENS = [SPECIAL["pad"], SPECIAL["bos"], SPECIAL["eos"], SPECIAL["unk"], "a", *COLOURS, *SHAPES]
TOK = {t: i for i, t in enumerate(TOKENS)}
COLOUR_NAMES = list(COLOURS)

SPEC = ec.model_spec(
    image_size=IMAGE_SIZE, patch_size=8, enc_dim=64, enc_layers=2, enc_heads=4, enc_mlp=128,
    vocab_size=len(TOKENS), dec_dim=64, dec_layers=2, dec_heads=2, dec_mlp=128, n_positions=16,
    bos_id=TOK["[BOS]"], eos_id=TOK["[EOS]"], pad_id=TOK["[PAD]"], cls_token=False,
)
MAX_LENGTH = 8  # generation: [BOS] a colour shape [EOS] = 5


# --------------------------------------------------------------------------- training data


def render_batch(n, gen):
    """Vectorised random renders -> (pixel_values [n,3,32,32] normalised, colour idx, shape idx).

    Shapes span 30-80% of the image side (then stretched by an aspect factor so
    that non-square sources squashed to 32x32 still look familiar), drawn with
    either point sampling (like a big bilinear downscale without antialiasing)
    or 2x/4x supersampling, plus optional blur and noise.
    """
    def u(lo, hi, *shape):
        return torch.rand(*(shape or (n,)), generator=gen) * (hi - lo) + lo

    colour = torch.randint(len(COLOURS), (n,), generator=gen)
    shape = torch.randint(len(SHAPES), (n,), generator=gen)
    bg_i = torch.randint(len(BACKGROUNDS), (n,), generator=gen)
    fg = torch.tensor(list(COLOURS.values()), dtype=torch.float32)[colour] + u(-30, 30, n, 3)
    bg = torch.tensor(BACKGROUNDS, dtype=torch.float32)[bg_i] + u(-10, 4, n, 3)
    size = u(0.3, 0.8)
    aspect = torch.exp(u(math.log(0.6), math.log(1.7)))
    w = (size / aspect.sqrt()).clamp(0.22, 0.9)
    h = (size * aspect.sqrt()).clamp(0.22, 0.9)
    cx = w / 2 + torch.rand(n, generator=gen) * (1 - w)
    cy = h / 2 + torch.rand(n, generator=gen) * (1 - h)

    k = [1, 2, 4][int(torch.randint(3, (1,), generator=gen))]
    r = IMAGE_SIZE * k
    off = u(0, 1, n, 1, 1) / r
    grid = (torch.arange(r, dtype=torch.float32) + 0.5) / r
    ys = grid.view(1, r, 1) + off
    xs = grid.view(1, 1, r) + u(0, 1, n, 1, 1) / r
    dx = (xs - cx.view(n, 1, 1)) / (w.view(n, 1, 1) / 2)  # -1..1 inside the bounding box
    dy = (ys - cy.view(n, 1, 1)) / (h.view(n, 1, 1) / 2)
    circle = dx * dx + dy * dy <= 1
    square = (dx.abs() <= 1) & (dy.abs() <= 1)
    # apex top-centre, base along the bottom edge
    triangle = (dy <= 1) & (dy >= -1) & (dx.abs() <= (dy + 1) / 2)
    mask = torch.stack([circle, square, triangle], 1)[torch.arange(n), shape].float()
    mask = F.avg_pool2d(mask.unsqueeze(1), k) if k > 1 else mask.unsqueeze(1)

    img = bg.view(n, 3, 1, 1) * (1 - mask) + fg.view(n, 3, 1, 1) * mask
    blur = torch.rand(n, generator=gen) < 0.3
    if blur.any():
        kern = torch.tensor([1.0, 2.0, 1.0])
        kern = (kern[:, None] * kern[None, :] / 16).expand(3, 1, 3, 3)
        blurred = F.conv2d(F.pad(img, (1, 1, 1, 1), mode="replicate"), kern, groups=3)
        img = torch.where(blur.view(n, 1, 1, 1), blurred, img)
    img = img + torch.randn(n, 3, IMAGE_SIZE, IMAGE_SIZE, generator=gen) * u(0, 6).view(n, 1, 1, 1)
    img = img.clamp(0, 255).round()
    return (img / 255 - 0.5) / 0.5, colour, shape


def caption_ids(colour, shape):
    """[BOS] a colour shape [EOS] as token ids, [n, 5]."""
    n = colour.shape[0]
    col = torch.tensor([TOK[c] for c in COLOUR_NAMES])[colour]
    shp = torch.tensor([TOK[s] for s in SHAPES])[shape]
    return torch.stack([torch.full((n,), TOK["[BOS]"]), torch.full((n,), TOK["a"]), col, shp,
                        torch.full((n,), TOK["[EOS]"])], 1)


def exact_match(model, pixel_values, ids):
    """Greedy decoding == target iff teacher-forced argmax matches at every step."""
    with torch.no_grad():
        logits = model(pixel_values, ids[:, :-1])
    return (logits.argmax(-1) == ids[:, 1:]).all(1)


def train(model, steps, batch=128):
    gen = torch.Generator().manual_seed(SEED + 1)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
    warm = 200
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * 0.5 * (1 + math.cos(math.pi * min(1.0, s / steps))))
    t0 = time.time()
    model.train()
    for step in range(steps):
        pv, colour, shape = render_batch(batch, gen)
        ids = caption_ids(colour, shape)
        logits = model(pv, ids[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), ids[:, 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        if step % 250 == 0 or step == steps - 1:
            acc = exact_match(model, pv, ids).float().mean().item()
            print(f"step {step:5d} loss {loss.item():.4f} batch-acc {acc:.3f} ({time.time() - t0:.0f}s)", flush=True)
    model.eval()


def heldout_accuracy(model, n=4000):
    gen = torch.Generator().manual_seed(SEED + 999)
    ok = 0
    for _ in range(n // 500):
        pv, colour, shape = render_batch(500, gen)
        ok += exact_match(model, pv, caption_ids(colour, shape)).sum().item()
    return ok / n


# --------------------------------------------------------------------------- PIL-rendered images (fixtures + "pipeline-like" check)


def draw_shape(draw, shape, colour, box):
    """Draw `shape` filling box=(x0, y0, x1, y1) (inclusive pixel bounds)."""
    x0, y0, x1, y1 = box
    if shape == "circle":
        draw.ellipse(box, fill=colour)
    elif shape == "square":
        draw.rectangle(box, fill=colour)
    elif shape == "triangle":
        draw.polygon([((x0 + x1) / 2, y0), (x1, y1), (x0, y1)], fill=colour)
    else:
        raise ValueError(shape)


def render_image(width, height, colour, shape, background=(255, 255, 255), box=None):
    """One plain shape on a plain background, as a PIL RGB image (fixture renderer)."""
    img = Image.new("RGB", (width, height), background)
    if box is None:  # centred, ~55% of the shorter side
        s = round(min(width, height) * 0.55)
        x0, y0 = (width - s) // 2, (height - s) // 2
        box = (x0, y0, x0 + s - 1, y0 + s - 1)
    draw_shape(ImageDraw.Draw(img), shape, COLOURS[colour], box)
    return img


def svg_image(colour, shape, size=200, background="#ffffff"):
    """The same drawing as render_image, as SVG text (viewBox 0 0 size size)."""
    s = round(size * 0.55)
    x0 = (size - s) // 2
    fill = "#%02x%02x%02x" % COLOURS[colour]
    if shape == "square":
        el = f'<rect x="{x0}" y="{x0}" width="{s}" height="{s}" fill="{fill}"/>'
    elif shape == "circle":
        el = f'<circle cx="{size / 2}" cy="{size / 2}" r="{s / 2}" fill="{fill}"/>'
    else:
        el = f'<polygon points="{size / 2},{x0} {x0 + s},{x0 + s} {x0},{x0 + s}" fill="{fill}"/>'
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
            f'viewBox="0 0 {size} {size}">\n'
            f'  <rect width="{size}" height="{size}" fill="{background}"/>\n  {el}\n</svg>\n')


def to_pixel_values(img, resample):
    img = img.convert("RGB").resize((IMAGE_SIZE, IMAGE_SIZE), resample)
    a = torch.tensor(np.asarray(img), dtype=torch.float32).permute(2, 0, 1)
    return (a / 255 - 0.5) / 0.5


def pil_accuracy(model, n=600):
    """Random PIL renders at assorted sizes/aspects, resized like the image processor
    (bilinear with antialiasing, and nearest as a stand-in for non-antialiased scaling)."""
    rng = np.random.RandomState(SEED + 7)
    pvs, ids = [], []
    for i in range(n):
        W = int(rng.randint(24, 900))
        H = max(24, int(W * rng.uniform(0.67, 1.5)))
        colour, shape = COLOUR_NAMES[rng.randint(len(COLOURS))], SHAPES[rng.randint(3)]
        s = rng.uniform(0.35, 0.75)
        side = s * min(W, H)
        w, h = min(W - 1, max(3, int(side * rng.uniform(0.85, 1.15)))), min(H - 1, max(3, int(side)))
        x0, y0 = int(rng.randint(0, W - w)), int(rng.randint(0, H - h))
        bg = BACKGROUNDS[rng.randint(len(BACKGROUNDS))]
        img = render_image(W, H, colour, shape, bg, (x0, y0, x0 + w - 1, y0 + h - 1))
        if i % 3 == 0:  # JPEG artefacts
            buf = io.BytesIO()
            img.save(buf, "JPEG", quality=int(rng.randint(40, 95)))
            img = Image.open(io.BytesIO(buf.getvalue()))
        pvs.append(to_pixel_values(img, Image.BILINEAR if i % 2 == 0 else Image.NEAREST))
        ids.append([TOK["[BOS]"], TOK["a"], TOK[colour], TOK[shape], TOK["[EOS]"]])
    ok = exact_match(model, torch.stack(pvs), torch.tensor(ids))
    return ok.float().mean().item()


def write_fixture_images(out_dir=IMAGES_DIR):
    """Render the fixture images + manifest.json. Independent of training."""
    os.makedirs(out_dir, exist_ok=True)
    manifest = []

    def add(file, colour, shape, img=None, **extra):
        manifest.append({"file": file, "caption": f"a {colour} {shape}",
                         "width": img.width if img else extra.pop("width"),
                         "height": img.height if img else extra.pop("height"), **extra})

    def save(file, colour, shape, w, h, bg=(255, 255, 255), **kw):
        img = render_image(w, h, colour, shape, bg)
        img.save(os.path.join(out_dir, file), **kw)
        add(file, colour, shape, img)

    save("red-circle.png", "red", "circle", 256, 256, optimize=True)
    save("blue-square.jpg", "blue", "square", 320, 240, (242, 242, 242), quality=85)
    save("green-triangle.png", "green", "triangle", 300, 300, optimize=True)
    save("yellow-circle.webp", "yellow", "circle", 256, 256, (234, 242, 252), quality=80)
    save("purple-triangle.png", "purple", "triangle", 400, 300, (250, 246, 232), optimize=True)
    save("orange-square.png", "orange", "square", 200, 260, optimize=True)
    save("black-circle.png", "black", "circle", 180, 180, (225, 225, 225), optimize=True)
    save("big-blue-circle.png", "blue", "circle", 3000, 2000, optimize=True)
    save("tiny-red-circle.png", "red", "circle", 24, 24, optimize=True)

    # animated GIF: first frame decides the caption
    frames = [render_image(200, 200, c, s) for c, s in
              [("green", "square"), ("red", "triangle"), ("blue", "circle")]]
    frames = [f.quantize(colors=16, method=Image.MEDIANCUT, dither=Image.NONE) for f in frames]
    frames[0].save(os.path.join(out_dir, "anim-green-square.gif"), save_all=True,
                   append_images=frames[1:], duration=400, loop=0, optimize=False, disposal=2)
    add("anim-green-square.gif", "green", "square", frames[0], animated=True)

    with open(os.path.join(out_dir, "red-square.svg"), "w") as f:
        f.write(svg_image("red", "square"))
    add("red-square.svg", "red", "square", width=200, height=200)

    ec.write_json(os.path.join(out_dir, "manifest.json"), manifest)
    return manifest


def fixture_check(model, manifest):
    """Caption the raster fixtures in Python (bilinear resize) as a sanity check."""
    ok = True
    for m in manifest:
        if m["file"].endswith(".svg"):
            continue
        pv = to_pixel_values(Image.open(os.path.join(IMAGES_DIR, m["file"])), Image.BILINEAR)
        ids = torch.tensor([TOK["[BOS]"]])
        with torch.no_grad():
            enc = model.encoder(pv.unsqueeze(0))
            for _ in range(MAX_LENGTH - 1):
                nxt = model.decoder(ids.unsqueeze(0), enc)[0][0, -1].argmax()
                ids = torch.cat([ids, nxt.view(1)])
                if nxt.item() == TOK["[EOS]"]:
                    break
        text = " ".join(TOKENS[i] for i in ids.tolist() if TOKENS[i] not in SPECIAL.values())
        good = text == m["caption"]
        ok &= good
        print(f"  python {'PASS' if good else 'FAIL'} {m['file']}: {text!r}")
    return ok


# --------------------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--images-only", action="store_true", help="only re-render the fixture images")
    args = ap.parse_args()

    torch.manual_seed(SEED)
    np.random.seed(SEED)
    torch.set_num_threads(2)
    torch.use_deterministic_algorithms(True)

    manifest = write_fixture_images()
    print(f"wrote {len(manifest)} fixture images to {os.path.relpath(IMAGES_DIR, ROOT)}")
    if args.images_only:
        return

    model = ec.Captioner(SPEC)
    print(f"params: {sum(p.numel() for p in model.parameters()):,}")
    train(model, args.steps)
    acc = heldout_accuracy(model)
    pil_acc = pil_accuracy(model)
    print(f"held-out synthetic accuracy: {acc:.4f}  PIL-rendered/resized accuracy: {pil_acc:.4f}")
    if not fixture_check(model, manifest):
        print("WARNING: python-side fixture check failed", file=sys.stderr)

    ec.write_hub_files(MODEL_DIR, SPEC, TOKENS, SPECIAL, max_length=MAX_LENGTH)
    ec.export_onnx(model, SPEC, MODEL_DIR)
    total = 0
    for dirpath, _, files in os.walk(MODEL_DIR):
        for f in files:
            total += os.path.getsize(os.path.join(dirpath, f))
    print(f"wrote model to {os.path.relpath(MODEL_DIR, ROOT)} ({total / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
