#!/usr/bin/python3
"""Train the "unread ink" glyph classifier used by the OCR pipeline.

PaddleOCR PP-OCRv4 (ch+en) has no CTC class for a few symbols (€ £ ¢ © ₹ …),
so over such a glyph it emits only blanks.  The TypeScript side finds runs of
ink columns in the recogniser's 48-px strip with nothing emitted over them and
asks this classifier what the run is.

Everything here is deterministic (fixed seeds).  Run with the Debian python:

    /usr/bin/python3 scripts/glyph-model/generate.py              # data + train + export + fixtures
    /usr/bin/python3 scripts/glyph-model/generate.py --family-check   # also the held-out-family check

Outputs:
    public/ocr-glyphs/glyph-classifier.onnx   input `glyphs` [N,1,32,32] -> `logits` [N,K] (raw logits)
    public/ocr-glyphs/classes.json            class strings, index 0 = "" (other)
    tests/fixtures/glyph-strips/*.png + manifest.json   held-out strips (separate seed)
"""
import argparse
import glob
import json
import math
import os
import subprocess
import sys
import time

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT_DIR = os.path.join(ROOT, "public", "ocr-glyphs")
FIX_DIR = os.path.join(ROOT, "tests", "fixtures", "glyph-strips")

CANDIDATES = list("€£¢©₹₽₩₺₪₫₦₱₴₿½¼¾✓")
STRIP_H = 48
GLYPH = 32

# --------------------------------------------------------------------------
# Preprocessing shared with the TypeScript side (keep in sync with README).
# --------------------------------------------------------------------------


def strip_grey(strip_rgb_uint8):
    """g(x,y): mean of the three channels normalised to [-1,1] as (v/255-0.5)/0.5.
    The normalised channel values are float32 (as in the recogniser's tensor);
    the mean and everything after are float64."""
    a = strip_rgb_uint8.astype(np.float32)
    n = (a / np.float32(255.0) - np.float32(0.5)) / np.float32(0.5)
    n = n.astype(np.float64)
    return (n[:, :, 0] + n[:, :, 1] + n[:, :, 2]) / 3.0


def strip_stats(strip_rgb_uint8):
    g = strip_grey(strip_rgb_uint8)
    b = float(np.median(g))  # even count: mean of the two middle values
    d = np.abs(g - b)
    c = float(d.max())
    return g, b, c, d


def ink_runs(strip_rgb_uint8):
    """Maximal runs [x0, x1] (inclusive) of ink columns.  A column is ink if any
    pixel has |g-b| > 0.4*C.  No runs if C < 0.05."""
    _, _, c, d = strip_stats(strip_rgb_uint8)
    if c < 0.05:
        return []
    col = (d > 0.4 * c).any(axis=0)
    runs = []
    x = 0
    w = col.shape[0]
    while x < w:
        if col[x]:
            x0 = x
            while x + 1 < w and col[x + 1]:
                x += 1
            runs.append((x0, x))
        x += 1
    return runs


def box_matrix(n_in, n_out):
    """Area-averaging resample weights [n_out, n_in]: output i covers input
    interval [i*s, (i+1)*s) with s = n_in/n_out; each input pixel j covers
    [j, j+1); weight = overlap length / s."""
    s = n_in / n_out
    m = np.zeros((n_out, n_in), dtype=np.float64)
    for i in range(n_out):
        lo = i * s
        hi = (i + 1) * s
        j0 = int(math.floor(lo))
        j1 = min(n_in - 1, int(math.ceil(hi)) - 1)
        for j in range(j0, j1 + 1):
            ov = min(hi, j + 1) - max(lo, j)
            if ov > 0:
                m[i, j] = ov / s
    return m


def glyph_width(w):
    return max(1, int(round(w * GLYPH / STRIP_H)))


def glyph_input(strip_rgb_uint8, x0, x1, stats=None):
    """32x32 float32 classifier input for ink run [x0, x1] of a 48-px strip.
    Returns None if the resized run is wider than 32 (never classified)."""
    assert strip_rgb_uint8.shape[0] == STRIP_H
    if stats is None:
        stats = strip_stats(strip_rgb_uint8)
    _, _, c, d = stats
    if c < 0.05:
        return None
    w = x1 - x0 + 1
    w2 = glyph_width(w)
    if w2 > GLYPH:
        return None
    ink = np.clip(d[:, x0:x1 + 1] / c, 0.0, 1.0)
    small = box_matrix(STRIP_H, GLYPH) @ ink @ box_matrix(w, w2).T
    out = np.zeros((GLYPH, GLYPH), dtype=np.float32)
    left = (GLYPH - w2) // 2
    out[:, left:left + w2] = small
    return out


# --------------------------------------------------------------------------
# Fonts
# --------------------------------------------------------------------------

FACE_CACHE = {}


def list_faces():
    """(path, index, family, style) for every usable face.  For the Noto CJK
    collections only the SC faces are used (the JP/KR/TC/HK faces share the
    Latin/symbol glyphs)."""
    out = subprocess.run(["fc-list", "--format", "%{file}\n"], capture_output=True, text=True).stdout
    files = sorted(set(l.strip() for l in out.splitlines() if l.strip()))
    faces = []
    for fn in files:
        base = os.path.basename(fn)
        if not (base.startswith("DejaVu") or base.startswith("Liberation") or base.startswith("Noto")):
            continue
        if "Math" in base:
            continue
        for idx in range(16 if fn.endswith(".ttc") else 1):
            try:
                f = ImageFont.truetype(fn, 40, index=idx)
            except OSError:
                break
            fam, style = f.getname()
            if fn.endswith(".ttc") and not fam.endswith(" SC"):
                continue
            faces.append((fn, idx, fam, style))
    return faces


def font(face, size):
    key = (face[0], face[1], size)
    f = FACE_CACHE.get(key)
    if f is None:
        f = ImageFont.truetype(face[0], size, index=face[1])
        FACE_CACHE[key] = f
    return f


_NOTDEF = {}
_COV = {}


def _render_test(f, ch):
    im = Image.new("L", (96, 96), 0)
    ImageDraw.Draw(im).text((16, 16), ch, font=f, fill=255)
    return np.asarray(im)


def covers(face, ch):
    """True if the face has a real glyph for ch (rendering differs from the
    .notdef glyph of an unassigned code point and has ink)."""
    key = (face[0], face[1], ch)
    if key in _COV:
        return _COV[key]
    f = font(face, 40)
    fk = (face[0], face[1])
    if fk not in _NOTDEF:
        _NOTDEF[fk] = _render_test(f, "\U0010fffd")
    r = _render_test(f, ch)
    ok = bool(r.any()) and not np.array_equal(r, _NOTDEF[fk])
    _COV[key] = ok
    return ok


def choose_classes(faces):
    fams = {}
    for ch in CANDIDATES:
        fams[ch] = sorted(set(fc[2] for fc in faces if covers(fc, ch)))
    classes = [""] + [ch for ch in CANDIDATES if len(fams[ch]) >= 2]
    dropped = [ch for ch in CANDIDATES if len(fams[ch]) < 2]
    return classes, dropped, fams


# --------------------------------------------------------------------------
# Synthetic text lines
# --------------------------------------------------------------------------

LOWER = "abcdefghijklmnopqrstuvwxyz"
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIGITS = "0123456789"
PUNCT = ".,:;!?-()/%&@#$*+='\"[]"
CJK = "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年价格元总计购物车"
# Lookalikes of the symbols: ordinary characters the classifier must call "".
LOOKALIKE = "CcOoGeEPpWwNnLlTtdSsFf1234¥$@®°™•·§¶µ×÷±→←↑↓★☆♥■□●○◆√✔✗✘%&#"
# (✔ is deliberately excluded below: it is visually the same symbol as ✓.)
LOOKALIKE = LOOKALIKE.replace("✔", "")
WORDS = ["Total", "Price", "Subtotal", "Tax", "only", "from", "per", "month", "Save", "Sale",
         "cup", "tsp", "lb", "inch", "mile", "Done", "Verified", "Paid", "Inc.", "Ltd", "All rights reserved",
         "Copyright", "Shipping", "Free", "VAT", "incl.", "approx.", "each", "Fee", "Cost", "Amount", "Balance",
         "Order", "Item", "Qty", "Deal", "Offer", "Now", "was", "kg", "pcs", "Rs", "USD", "EUR", "GBP", "INR"]


def rand_number(rng):
    k = rng.integers(0, 5)
    if k == 0:
        return str(rng.integers(1, 100))
    if k == 1:
        return "%d.%02d" % (rng.integers(0, 1000), rng.integers(0, 100))
    if k == 2:
        return "{:,}".format(int(rng.integers(1000, 100000)))
    if k == 3:
        return "%d,%02d" % (rng.integers(0, 1000), rng.integers(0, 100))
    return str(rng.integers(1900, 2030))


def rand_word(rng):
    k = rng.integers(0, 10)
    if k < 5:
        return WORDS[rng.integers(0, len(WORDS))]
    if k < 7:
        n = rng.integers(1, 8)
        return "".join(rng.choice(list(LOWER + UPPER), n))
    if k < 8:
        return "".join(rng.choice(list(CJK), rng.integers(1, 4)))
    if k < 9:
        return "".join(rng.choice(list(LOOKALIKE), rng.integers(1, 3)))
    return "".join(rng.choice(list(PUNCT), rng.integers(1, 3)))


def symbol_phrase(rng, sym):
    """A phrase around the symbol, e.g. '€85.00', '½ cup', '© 2025 Foo'."""
    num = rand_number(rng)
    sp = " " if rng.random() < 0.35 else ""
    if sym in "½¼¾":
        pre = str(rng.integers(1, 10)) if rng.random() < 0.3 else ""
        return pre + sym + (" " + rand_word(rng) if rng.random() < 0.7 else "")
    if sym == "✓":
        return sym + " " + rand_word(rng) if rng.random() < 0.6 else rand_word(rng) + " " + sym
    if sym == "©":
        return sym + " " + str(rng.integers(1990, 2030)) + " " + rand_word(rng) if rng.random() < 0.7 else sym
    if sym == "¢" or (sym == "₫" and rng.random() < 0.7) or rng.random() < 0.25:
        return num + sp + sym
    return sym + sp + num


# 'other' ink that the recogniser may leave unread: blobs, dots, lines, ...
def noise_item(rng, size):
    """Returns a small float alpha image (H, W) for a negative non-character."""
    k = rng.integers(0, 6)
    s = max(3, int(size * rng.uniform(0.15, 0.9)))
    if k == 0:  # dot / blob
        h, w = s, max(2, int(s * rng.uniform(0.5, 1.6)))
        yy, xx = np.mgrid[0:h, 0:w]
        a = (((yy - h / 2 + 0.5) / (h / 2)) ** 2 + ((xx - w / 2 + 0.5) / (w / 2)) ** 2) < rng.uniform(0.6, 1.0)
        return a.astype(np.float32)
    if k == 1:  # short horizontal line (underline fragment)
        return np.ones((max(1, int(size * rng.uniform(0.04, 0.15))), max(3, int(size * rng.uniform(0.3, 1.2)))), np.float32)
    if k == 2:  # vertical bar
        return np.ones((max(3, int(size * rng.uniform(0.3, 1.1))), max(1, int(size * rng.uniform(0.04, 0.15)))), np.float32)
    if k == 3:  # random speckle blob
        h, w = s, max(2, int(s * rng.uniform(0.5, 1.5)))
        a = (rng.random((h, w)) < rng.uniform(0.3, 0.7)).astype(np.float32)
        im = Image.fromarray((a * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 1.5)))
        return (np.asarray(im) > 90).astype(np.float32)
    if k == 4:  # box outline / icon frame
        h, w = s, max(3, int(s * rng.uniform(0.6, 1.4)))
        a = np.zeros((h, w), np.float32)
        t = max(1, int(s * 0.12))
        a[:t] = a[-t:] = 1
        a[:, :t] = a[:, -t:] = 1
        return a
    # random line segment
    h, w = s, max(3, int(s * rng.uniform(0.5, 1.5)))
    im = Image.new("L", (w, h), 0)
    ImageDraw.Draw(im).line([tuple(rng.integers(0, [w, h])), tuple(rng.integers(0, [w, h]))], fill=255,
                            width=max(1, int(s * 0.12)))
    return np.asarray(im).astype(np.float32) / 255.0


def char_alpha(f, ch):
    """Alpha (float 0..1) of one character and its offset from the pen
    position on the baseline."""
    l, t, r, b = f.getbbox(ch, anchor="ls")
    if r <= l or b <= t:
        return None, 0, 0
    im = Image.new("L", (r - l + 2, b - t + 2), 0)
    ImageDraw.Draw(im).text((1 - l, 1 - t), ch, font=f, fill=255, anchor="ls")
    return np.asarray(im).astype(np.float32) / 255.0, l - 1, t - 1


def luminance(c):
    c = np.asarray(c, np.float64) / 255.0
    c = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]


def pick_colours(rng):
    while True:
        k = rng.random()
        if k < 0.55:  # dark on light
            bg = rng.integers(200, 256, 3) if rng.random() < 0.5 else np.full(3, rng.integers(215, 256))
            fg = np.full(3, rng.integers(0, 110)) if rng.random() < 0.7 else rng.integers(0, 140, 3)
        elif k < 0.75:  # light on dark
            bg = rng.integers(0, 90, 3)
            fg = np.full(3, rng.integers(170, 256)) if rng.random() < 0.6 else rng.integers(150, 256, 3)
        else:  # anything (coloured / low contrast)
            bg = rng.integers(0, 256, 3)
            fg = rng.integers(0, 256, 3)
        l1, l2 = luminance(fg), luminance(bg)
        ratio = (max(l1, l2) + 0.05) / (min(l1, l2) + 0.05)
        if ratio >= 3.0:
            return fg.astype(np.float64), bg.astype(np.float64)


class Item:
    __slots__ = ("ch", "kind", "x0", "x1")

    def __init__(self, ch, kind, x0, x1):
        self.ch, self.kind, self.x0, self.x1 = ch, kind, x0, x1  # kind: 'sym', 'ord', 'noise'


def render_line(rng, face, size, text, sym_set, fallback, with_noise, touch=False):
    """Renders `text` and returns (strip uint8 [48,W,3], items with strip-x
    extents).  Returns None if the line is degenerate."""
    f = font(face, size)
    ff = font(fallback, size)
    H0 = size * 4
    pen = float(size)
    base = size * 2.6
    pieces = []  # (alpha, x, y, ch, kind)
    track = rng.uniform(-0.12, 0.0) * size if touch else rng.uniform(-0.03, 0.12) * size
    for ch in text:
        if ch == " ":
            pen += f.getlength(" ") * rng.uniform(0.8, 1.6)
            continue
        fo = f if covers(face, ch) else ff
        a, ox, oy = char_alpha(fo, ch)
        adv = fo.getlength(ch)
        if a is not None:
            kind = "sym" if ch in sym_set else "ord"
            if kind == "ord" and rng.random() < 0.04:  # broken letter
                h, w = a.shape
                a = a.copy()
                if rng.random() < 0.5:
                    a[:, int(w * rng.uniform(0.3, 0.7)):] = 0
                else:
                    a[int(h * rng.uniform(0.3, 0.7)):, :] = 0
            pieces.append((a, int(round(pen)) + ox, int(round(base)) + oy, ch, kind))
        pen += adv + track
        if with_noise and rng.random() < 0.12:
            a = noise_item(rng, size)
            gap = int(size * rng.uniform(0.15, 0.5))
            y = int(base - rng.uniform(-0.2, 1.0) * size)
            pieces.append((a, int(round(pen)) + gap, y - a.shape[0] // 2, "", "noise"))
            pen += a.shape[1] + 2 * gap
    if not pieces:
        return None
    W0 = int(pen + size * 2) + max(p[0].shape[1] + p[1] for p in pieces)
    A = np.zeros((H0, W0), np.float32)
    exts = []
    for a, x, y, ch, kind in pieces:
        h, w = a.shape
        if y < 0 or y + h > H0 or x < 0:
            return None
        A[y:y + h, x:x + w] = np.maximum(A[y:y + h, x:x + w], a)
        cols = np.nonzero((a > 0.5).any(axis=0))[0]
        if len(cols) == 0:
            cols = np.nonzero((a > 0.2).any(axis=0))[0]
            if len(cols) == 0:
                continue
        exts.append((ch, kind, x + cols[0], x + cols[-1]))
    rows = np.nonzero((A > 0.2).any(axis=1))[0]
    cols = np.nonzero((A > 0.2).any(axis=0))[0]
    if len(rows) == 0:
        return None
    ih = rows[-1] - rows[0] + 1
    top = int(round(rows[0] - ih * rng.uniform(0.1, 0.5)))
    bot = int(round(rows[-1] + 1 + ih * rng.uniform(0.1, 0.5)))
    ml = int(round(ih * rng.uniform(0.05, 0.4)))
    mr = int(round(ih * rng.uniform(0.05, 0.4)))
    left, right = cols[0] - ml, cols[-1] + 1 + mr
    pad = size * 2
    A = np.pad(A, pad)
    top += pad; bot += pad; left += pad; right += pad
    A = A[top:bot, left:right]
    # colour + background
    fg, bg = pick_colours(rng)
    h, w = A.shape
    B = np.broadcast_to(bg, (h, w, 3)).astype(np.float64)
    k = rng.random()
    if k < 0.15:  # gradient
        d = rng.uniform(-40, 40, 3)
        t = np.linspace(0, 1, w)[None, :, None] if rng.random() < 0.5 else np.linspace(0, 1, h)[:, None, None]
        B = B + d * t
    elif k < 0.3:  # noise
        B = B + rng.normal(0, rng.uniform(2, 10), (h, w, 1))
    img = B * (1 - A[:, :, None]) + fg * A[:, :, None]
    img = np.clip(img, 0, 255).astype(np.uint8)
    im = Image.fromarray(img, "RGB")
    if rng.random() < 0.3:
        im = im.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.9) * max(1.0, size / 20)))
    kx = STRIP_H / h
    W = max(1, int(round(w * kx)))
    im = im.resize((W, STRIP_H), Image.BILINEAR)
    strip = np.asarray(im).astype(np.float64)
    if rng.random() < 0.25:
        strip = strip + rng.normal(0, rng.uniform(1, 5), strip.shape)
    strip = np.clip(np.round(strip), 0, 255).astype(np.uint8)
    kxr = W / w
    items = []
    for ch, kind, x0, x1 in exts:
        sx0 = (x0 - (left - pad)) * kxr
        sx1 = (x1 + 1 - (left - pad)) * kxr - 1
        items.append(Item(ch, kind, sx0, sx1))
    return strip, items


def label_runs(strip, items):
    """[(x0, x1, label)] for each ink run; label None = ambiguous (skip)."""
    out = []
    for x0, x1 in ink_runs(strip):
        hit = [it for it in items if x0 <= it.x1 + 0.5 and x1 >= it.x0 - 0.5]
        syms = [it for it in hit if it.kind == "sym"]
        if not syms:
            out.append((x0, x1, ""))
            continue
        if len(syms) > 1 or len(hit) > 1:
            out.append((x0, x1, None))
            continue
        s = syms[0]
        ov = min(x1 + 0.5, s.x1 + 0.5) - max(x0 - 0.5, s.x0 - 0.5)
        frac = ov / max(1.0, s.x1 - s.x0 + 1)
        if frac >= 0.85:
            out.append((x0, x1, s.ch))
        elif frac < 0.5:
            out.append((x0, x1, ""))
        else:
            out.append((x0, x1, None))
    return out


class Generator:
    def __init__(self, faces, classes, seed):
        self.rng = np.random.default_rng(seed)
        self.faces = faces
        self.classes = classes
        self.syms = classes[1:]
        self.sym_set = set(self.syms)
        self.by_sym = {s: [f for f in faces if covers(f, s)] for s in self.syms}
        fb = [f for f in faces if f[2] == "Noto Sans CJK SC" and "Regular" in f[3]]
        self.fallback = fb[0] if fb else faces[0]

    def line(self, sym=None, noise=True):
        rng = self.rng
        if sym is not None:
            if not self.by_sym[sym]:
                return None
            face = self.by_sym[sym][rng.integers(0, len(self.by_sym[sym]))]
        else:
            face = self.faces[rng.integers(0, len(self.faces))]
        size = int(rng.integers(10, 41))
        parts = []
        for _ in range(rng.integers(0, 3)):
            parts.append(rand_word(rng) if rng.random() < 0.6 else rand_number(rng))
        if sym is not None:
            parts.append(symbol_phrase(rng, sym))
            if rng.random() < 0.15:
                s2 = self.syms[rng.integers(0, len(self.syms))]
                if covers(face, s2):
                    parts.append(symbol_phrase(rng, s2))
        for _ in range(rng.integers(0, 3)):
            parts.append(rand_word(rng) if rng.random() < 0.6 else rand_number(rng))
        order = list(parts)
        if sym is not None and len(order) > 1:
            rng.shuffle(order)
        text = " ".join(order)
        return render_line(rng, face, size, text, self.sym_set, self.fallback, noise and rng.random() < 0.4,
                           touch=rng.random() < 0.1)

    def dataset(self, n_per_sym, n_neg, log=None):
        cls_idx = {c: i for i, c in enumerate(self.classes)}
        xs = {c: [] for c in self.classes}
        counts = {s: 0 for s in self.syms}
        t0 = time.time()
        lines = 0
        while True:
            need = [s for s in self.syms if counts[s] < n_per_sym and self.by_sym[s]]
            if not need and len(xs[""]) >= n_neg * 1.5:
                break
            if need and self.rng.random() < 0.9:
                sym = min(need, key=lambda s: counts[s])
            else:
                sym = None
            r = self.line(sym)
            lines += 1
            if r is None:
                continue
            strip, items = r
            stats = strip_stats(strip)
            for x0, x1, lab in label_runs(strip, items):
                if lab is None:
                    continue
                if lab and counts[lab] >= n_per_sym:
                    continue
                if lab == "" and len(xs[""]) >= n_neg * 3:
                    continue
                gi = glyph_input(strip, x0, x1, stats)
                if gi is None:
                    continue
                xs[lab].append(gi)
                if lab:
                    counts[lab] += 1
        if log:
            log("  %d lines in %.1fs" % (lines, time.time() - t0))
        neg = xs[""]
        sel = self.rng.permutation(len(neg))[:n_neg]
        xs[""] = [neg[i] for i in sel]
        X, Y = [], []
        for c, v in xs.items():
            X += v
            Y += [cls_idx[c]] * len(v)
        return np.stack(X)[:, None], np.array(Y, np.int64)


# --------------------------------------------------------------------------
# Model
# --------------------------------------------------------------------------


def make_model(k):
    import torch.nn as nn
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),   # 16x16
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # 8x8
        nn.Conv2d(32, 48, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # 4x4
        nn.Flatten(),
        nn.Linear(48 * 16, 64), nn.ReLU(),
        nn.Linear(64, k),
    )


def train(X, Y, k, epochs, seed, log):
    import torch
    torch.manual_seed(seed)
    model = make_model(k)
    Xt = torch.from_numpy(X)
    Yt = torch.from_numpy(Y)
    n = len(Yt)
    bs = 128
    opt = torch.optim.Adam(model.parameters(), lr=3e-3, weight_decay=1e-5)
    steps = epochs * ((n + bs - 1) // bs)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=steps, pct_start=0.15)
    # the "" class gets a bit more weight: a false symbol is worse than a miss
    w = torch.ones(k)
    w[0] = 1.5
    lossf = torch.nn.CrossEntropyLoss(weight=w, label_smoothing=0.02)
    g = torch.Generator().manual_seed(seed)
    for ep in range(epochs):
        model.train()
        perm = torch.randperm(n, generator=g)
        tot = 0.0
        t0 = time.time()
        for i in range(0, n, bs):
            idx = perm[i:i + bs]
            xb = Xt[idx]
            # tiny augmentation: random 1-px shift
            if True:
                dx, dy = torch.randint(-1, 2, (2,), generator=g).tolist()
                xb = torch.roll(xb, shifts=(dy, dx), dims=(2, 3))
            opt.zero_grad()
            loss = lossf(model(xb), Yt[idx])
            loss.backward()
            opt.step()
            sched.step()
            tot += loss.item() * len(idx)
        log("  epoch %d loss %.4f (%.1fs)" % (ep + 1, tot / n, time.time() - t0))
    model.eval()
    return model


def predict(model, X):
    import torch
    with torch.no_grad():
        out = []
        for i in range(0, len(X), 1024):
            out.append(torch.softmax(model(torch.from_numpy(X[i:i + 1024])), 1).numpy())
    return np.concatenate(out)


def report(P, Y, classes, title, log, thr=0.9):
    pred = P.argmax(1)
    conf = P.max(1)
    log("== %s: %d samples, top-1 accuracy %.4f" % (title, len(Y), (pred == Y).mean()))
    # thresholded decision: symbol only if softmax >= thr
    dec = np.where((pred > 0) & (conf >= thr), pred, 0)
    lines = []
    lines.append("| class | n | top-1 acc | P@%.1f | R@%.1f | ->\"\" | ->other sym |" % (thr, thr))
    lines.append("|---|---|---|---|---|---|---|")
    for ci, c in enumerate(classes):
        m = Y == ci
        if m.sum() == 0:
            continue
        acc = (pred[m] == ci).mean()
        tp = ((dec == ci) & m).sum()
        fp = ((dec == ci) & ~m).sum()
        prec = tp / max(1, tp + fp)
        rec = tp / m.sum()
        to_empty = ((dec == 0) & m).sum() / m.sum() if ci else float("nan")
        to_other = ((dec > 0) & (dec != ci) & m).sum() / m.sum()
        lines.append("| %s | %d | %.3f | %.3f | %.3f | %s | %.3f |" % (
            c or '""', m.sum(), acc, prec if ci and tp + fp else float("nan"), rec, "-" if not ci else "%.3f" % to_empty,
            to_other))
    sm = Y > 0
    tp = ((dec == Y) & sm).sum()
    fp = ((dec > 0) & (dec != Y)).sum()
    fp_neg = ((dec > 0) & ~sm).sum()
    fp_wrong = ((dec > 0) & sm & (dec != Y)).sum()
    lines.append("")
    lines.append("All symbols at softmax>=%.1f: precision %.4f, recall %.4f; false symbols: %d from \"\" "
                 "(of %d negatives, %.4f), %d wrong-symbol (of %d symbols)" % (
                     thr, tp / max(1, tp + fp), tp / max(1, sm.sum()), fp_neg, (~sm).sum(),
                     fp_neg / max(1, (~sm).sum()), fp_wrong, sm.sum()))
    for l in lines:
        log(l)
    return "\n".join(lines), float((pred == Y).mean())


def export_onnx(model, path):
    import torch
    x = torch.zeros(2, 1, GLYPH, GLYPH)
    torch.onnx.export(model, x, path, opset_version=14, input_names=["glyphs"], output_names=["logits"],
                      dynamic_axes={"glyphs": {0: "n"}, "logits": {0: "n"}}, do_constant_folding=True)


# --------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------


def make_fixtures(gen, classes, n_strips, log):
    os.makedirs(FIX_DIR, exist_ok=True)
    for fn in glob.glob(os.path.join(FIX_DIR, "*.png")):
        os.remove(fn)
    manifest = []
    syms = classes[1:]
    i = 0
    tries = 0
    while len(manifest) < n_strips:
        tries += 1
        sym = syms[i % len(syms)] if i < 2 * len(syms) else None
        r = gen.line(sym, noise=True)
        if r is None:
            continue
        strip, items = r
        labs = label_runs(strip, items)
        if not labs or any(l is None for _, _, l in labs):
            continue
        if any(glyph_width(x1 - x0 + 1) > GLYPH for x0, x1, _ in labs):
            continue
        if sym is not None and sym not in [l for _, _, l in labs]:
            continue
        name = "strip-%02d.png" % len(manifest)
        Image.fromarray(strip, "RGB").save(os.path.join(FIX_DIR, name))
        manifest.append({"file": name, "spans": [{"x0": int(a), "x1": int(b), "label": l} for a, b, l in labs]})
        i += 1
    with open(os.path.join(FIX_DIR, "manifest.json"), "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    log("fixtures: %d strips (%d tries)" % (len(manifest), tries))
    return manifest


def fixture_eval(model, classes, manifest, log):
    X, Y = [], []
    ci = {c: i for i, c in enumerate(classes)}
    for m in manifest:
        strip = np.asarray(Image.open(os.path.join(FIX_DIR, m["file"])).convert("RGB"))
        assert [tuple(r) for r in ink_runs(strip)] == [(s["x0"], s["x1"]) for s in m["spans"]]
        for s in m["spans"]:
            X.append(glyph_input(strip, s["x0"], s["x1"]))
            Y.append(ci[s["label"]])
    X = np.stack(X)[:, None]
    Y = np.array(Y)
    return report(predict(model, X), Y, classes, "fixtures (tests/fixtures/glyph-strips)", log)


# --------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-class", type=int, default=1500)
    ap.add_argument("--neg", type=int, default=20000)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--family-check", action="store_true",
                    help="also train a model without the Liberation Sans (+Narrow) families and test on them")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()

    import torch
    torch.set_num_threads(args.threads)
    t_start = time.time()
    logs = []

    def log(s):
        print(s, flush=True)
        logs.append(s)

    faces = list_faces()
    classes, dropped, fams = choose_classes(faces)
    log("faces: %d; classes: %s; dropped (<2 families): %s" % (len(faces), " ".join(classes[1:]), " ".join(dropped)))
    for ch in CANDIDATES:
        log("  %s: %s" % (ch, ", ".join(fams[ch]) or "-"))

    log("generating training set (seed 1)")
    Xtr, Ytr = Generator(faces, classes, seed=1).dataset(args.per_class, args.neg, log)
    log("  train: %s, per class %s" % (Xtr.shape, np.bincount(Ytr).tolist()))
    log("generating held-out set (seed 2)")
    Xva, Yva = Generator(faces, classes, seed=2).dataset(300, 4000, log)

    if args.family_check:
        held = {"Liberation Sans", "Liberation Sans Narrow"}
        tr_faces = [f for f in faces if f[2] not in held]
        ho_faces = [f for f in faces if f[2] in held]
        log("family check: training without %s" % sorted(held))
        Xa, Ya = Generator(tr_faces, classes, seed=11).dataset(args.per_class, args.neg, log)
        ma = train(Xa, Ya, len(classes), args.epochs, 11, log)
        Xh, Yh = Generator(ho_faces, classes, seed=12).dataset(300, 3000, log)
        fam_table, _ = report(predict(ma, Xh), Yh, classes, "held-out families %s" % sorted(held), log)

    t0 = time.time()
    model = train(Xtr, Ytr, len(classes), args.epochs, 1, log)
    log("training time %.1fs" % (time.time() - t0))
    report(predict(model, Xva), Yva, classes, "held-out seed 2", log)

    os.makedirs(OUT_DIR, exist_ok=True)
    onnx_path = os.path.join(OUT_DIR, "glyph-classifier.onnx")
    export_onnx(model, onnx_path)
    with open(os.path.join(OUT_DIR, "classes.json"), "w", encoding="utf-8") as fh:
        json.dump(classes, fh, ensure_ascii=False)
        fh.write("\n")
    log("onnx: %s (%d bytes)" % (onnx_path, os.path.getsize(onnx_path)))

    manifest = make_fixtures(Generator(faces, classes, seed=777), classes, 40, log)
    fixture_eval(model, classes, manifest, log)
    log("total time %.1fs" % (time.time() - t_start))
    with open(os.path.join(os.path.dirname(__file__), "last-run.log"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(logs) + "\n")


if __name__ == "__main__":
    main()
