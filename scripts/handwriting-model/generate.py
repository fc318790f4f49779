#!/usr/bin/python3
"""Train + export the tiny TrOCR-shaped AltSight handwriting fixture model and render its fixture images.

    /usr/bin/python3 scripts/handwriting-model/generate.py [--steps N] [--images-only]

Outputs (paths relative to the repository root):
  tests/fixtures/models/altsight-test/tiny-handwriting-reader/   Hub-layout model (vision-encoder-decoder,
                                                                  DeiT encoder + TrOCR decoder, ONNX fp32)
  tests/fixtures/handwriting/                                    fixture PNGs + manifest.json
  scripts/handwriting-model/last-run.log                         figures of the last full run

The model reads synthetic handwriting-like text lines of 2-4 words from VOCAB. Everything is
seeded, so reruns give the same model (Debian torch 1.13, 2 threads).
"""

import argparse
import math
import os
import sys
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # much faster on a busy 2-core machine

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image, ImageDraw, ImageFilter, ImageFont

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixture-model"))
import export_common as ec  # noqa: E402  (write_json)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
MODEL_DIR = os.path.join(ROOT, "tests", "fixtures", "models", "altsight-test", "tiny-handwriting-reader")
IMAGES_DIR = os.path.join(ROOT, "tests", "fixtures", "handwriting")
LOG_PATH = os.path.join(HERE, "last-run.log")

SEED = 4321
HELDOUT_SEED = SEED + 999
OPSET = 14
IMG_H, IMG_W = 32, 256  # preprocessor size {height, width}; images are squashed to this (no aspect kept)
PATCH = 16

VOCAB = [
    "the", "a", "my", "big", "small", "old", "quick", "lazy", "happy",
    "red", "blue", "green", "fox", "dog", "cat", "bird", "fish", "sun", "moon", "tree",
    "jumps", "runs", "sits", "sleeps", "sings", "over", "under", "near",
    "hello", "world", "good", "day",
]
# TrOCR / RoBERTa special-token ids: <s>=0 <pad>=1 </s>=2 <unk>=3; decoder_start_token_id = 2.
SPECIALS = ["<s>", "<pad>", "</s>", "<unk>"]
TOKENS = SPECIALS + VOCAB
TOK = {t: i for i, t in enumerate(TOKENS)}
BOS, PAD, EOS, UNK = 0, 1, 2, 3
DECODER_START = EOS
MAX_WORDS = 4
MAX_LENGTH = 12  # generation_config max_length (a 4-word line needs 7: </s> <s> w w w w </s>)
SEQ = MAX_WORDS + 3  # decoder sequence incl. start token

ENC = dict(hidden=64, layers=2, heads=4, mlp=128)
DEC = dict(d_model=64, layers=2, heads=4, ffn=128, max_pos=16)

FONT_DIRS = ["/usr/share/fonts/opentype", "/usr/share/fonts/truetype"]
HAND_FONTS = [  # (path relative to a FONT_DIRS entry, relative size)
    ("dancingscript/DancingScript-Regular.otf", 1.15), ("dancingscript/DancingScript-Bold.otf", 1.15),
    ("comic-neue/ComicNeue-Regular.otf", 1.0), ("comic-neue/ComicNeue-Bold.otf", 1.0),
    ("comic-neue/ComicNeue-Italic.otf", 1.0), ("comic-neue/ComicNeue-Light.otf", 1.0),
    ("humor-sans/Humor-Sans.ttf", 1.0),
    ("tlwg/Purisa.ttf", 0.9), ("tlwg/Purisa-Bold.ttf", 0.9), ("tlwg/Purisa-Oblique.ttf", 0.9),
]
PRINT_FONTS = [("dejavu/DejaVuSans.ttf", 1.0), ("liberation/LiberationSerif-Regular.ttf", 1.1)]
PRINT_SHARE = 0.08  # fraction of training lines in a printed font (lightly jittered)


def font_path(rel):
    for d in FONT_DIRS:
        p = os.path.join(d, rel)
        if os.path.exists(p):
            return p
    raise SystemExit(f"font {rel} missing: apt-get install -y fonts-dancingscript fonts-comic-neue "
                     "fonts-humor-sans fonts-tlwg-purisa fonts-dejavu-core fonts-liberation")


_FONT_CACHE = {}


def get_font(rel, size):
    key = (rel, size)
    if key not in _FONT_CACHE:
        _FONT_CACHE[key] = ImageFont.truetype(font_path(rel), size)
    return _FONT_CACHE[key]


# --------------------------------------------------------------------------- rendering


def random_words(rng):
    return [VOCAB[i] for i in rng.randint(len(VOCAB), size=rng.randint(2, MAX_WORDS + 1))]


def ink_mask(text, rng, font_rel, rel_size, jitter=True):
    """Render `text` glyph by glyph into an 'L' mask (255 = ink), tightly cropped.

    Jitter: per-glyph rotation/scale/baseline offset, baseline wobble, spacing,
    stroke weight, slant."""
    size = int(round(rng.uniform(26, 42) * rel_size)) if jitter else int(round(34 * rel_size))
    font = get_font(font_rel, size)
    W, H = int(size * 0.75 * len(text) + 4 * size), int(size * 2.6)
    canvas = Image.new("L", (W, H), 0)
    base_y = size * 1.9  # baseline
    x = float(size)
    wob_amp = rng.uniform(0, 0.07) * size if jitter else 0.0
    wob_freq = rng.uniform(0.005, 0.02)
    wob_phase = rng.uniform(0, 2 * math.pi)
    word_gap = rng.uniform(0.28, 0.6) if jitter else 0.32
    track = rng.uniform(0.9, 1.06) if jitter else 1.0
    stroke = int(rng.rand() < 0.25) if jitter else 0
    for ch in text:
        if ch == " ":
            x += size * word_gap
            continue
        sc = rng.uniform(0.88, 1.12) if jitter else 1.0
        gs = max(8, int(round(size * sc)))
        gfont = get_font(font_rel, gs)
        asc, desc = gfont.getmetrics()
        gw = int(gfont.getlength(ch)) + 2 * gs // 3 + 2 * stroke
        glyph = Image.new("L", (gw, asc + desc + gs // 2), 0)
        ImageDraw.Draw(glyph).text((gs // 3, gs // 4), ch, fill=255, font=gfont,
                                   stroke_width=stroke, stroke_fill=255)
        if jitter:
            glyph = glyph.rotate(rng.uniform(-7, 7), resample=Image.BILINEAR, expand=False)
        dy = (wob_amp * math.sin(wob_freq * x + wob_phase) + (rng.uniform(-0.05, 0.05) * size if jitter else 0))
        top = base_y - asc - gs // 4 + dy
        canvas.paste(255, (int(round(x - gs // 3)), int(round(top))), glyph)  # max-composite via mask
        x += gfont.getlength(ch) * track
    if jitter:
        slant = rng.uniform(-0.25, 0.3)
        canvas = canvas.transform(canvas.size, Image.AFFINE, (1, slant, -slant * base_y, 0, 1, 0),
                                  resample=Image.BILINEAR)
        r = rng.rand()
        if r < 0.15:
            canvas = canvas.filter(ImageFilter.MaxFilter(3))
    bbox = canvas.getbbox()
    return canvas.crop(bbox) if bbox else canvas


def paper_and_ink(rng, jitter=True, dark=False):
    if not jitter:
        return (255, 255, 255), (20, 20, 20)
    if dark:  # fixtures: white-ish paper, dark ink
        t = rng.uniform(242, 255)
        paper = (t, t, t - rng.uniform(0, 8))
        ink = (20, 35, 125) if rng.rand() < 0.35 else (30, 30, 34)
        return paper, ink
    t = rng.uniform(232, 255)
    paper = (t + rng.uniform(-4, 4), t + rng.uniform(-4, 3), t - rng.uniform(0, 14))
    if rng.rand() < 0.35:  # blue ballpoint
        ink = (rng.uniform(10, 50), rng.uniform(25, 70), rng.uniform(110, 175))
    else:  # pencil / black ink greys
        g = rng.uniform(10, 95)
        ink = (g, g, g + rng.uniform(0, 10))
    return paper, ink


def compose(mask, rng, margins, jitter=True, paper=None, ink=None, noise_max=7.0):
    """Mask -> RGB line image with paper tint, ink colour, opacity, noise, blur."""
    mx0, my0, mx1, my1 = margins
    W, H = mask.width + mx0 + mx1, mask.height + my0 + my1
    m = np.zeros((H, W), np.float32)
    m[my0:my0 + mask.height, mx0:mx0 + mask.width] = np.asarray(mask, np.float32) / 255
    if paper is None:
        paper, ink = paper_and_ink(rng, jitter)
    a = m[..., None] * (rng.uniform(0.75, 1.0) if jitter else 1.0)
    img = np.asarray(paper, np.float32) * (1 - a) + np.asarray(ink, np.float32) * a
    if jitter:
        img += rng.randn(H, W, 1).astype(np.float32) * rng.uniform(0, noise_max)
    out = Image.fromarray(np.clip(img, 0, 255).round().astype(np.uint8), "RGB")
    if jitter and rng.rand() < 0.3:
        out = out.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.9)))
    return out


def render_line(words, rng, printed=False, jitter=True, font=None, noise_max=7.0, dark=False):
    """One text line as a PIL RGB image (natural size, ~45-85 px high)."""
    fonts = PRINT_FONTS if printed else HAND_FONTS
    rel, rel_size = font if font else fonts[rng.randint(len(fonts))]
    mask = ink_mask(" ".join(words), rng, rel, rel_size, jitter=jitter and not (printed and font))
    if jitter:
        margins = (rng.randint(3, 22), rng.randint(3, 16), rng.randint(3, 22), rng.randint(3, 16))
    else:
        margins = (12, 12, 12, 12)
    paper, ink = paper_and_ink(rng, jitter, dark) if dark else (None, None)
    return compose(mask, rng, margins, jitter=jitter, paper=paper, ink=ink, noise_max=noise_max)


def to_pixel_values(img, antialias=True):
    """Resize to IMG_HxIMG_W like the ViTImageProcessor (PIL bilinear with antialiasing, or
    plain bilinear point sampling like sharp's affine in transformers.js on Node), normalise."""
    img = img.convert("RGB")
    if antialias:
        a = torch.from_numpy(np.asarray(img.resize((IMG_W, IMG_H), Image.BILINEAR), np.float32)).permute(2, 0, 1)
    else:
        a = torch.from_numpy(np.asarray(img, np.float32)).permute(2, 0, 1)
        a = F.interpolate(a[None], size=(IMG_H, IMG_W), mode="bilinear", align_corners=False)[0]
    return (a / 255 - 0.5) / 0.5


def target_ids(words):
    """[decoder_start=</s>, <s>, w..., </s>, <pad>...] (TrOCR's shifted labels), length SEQ."""
    ids = [DECODER_START, BOS] + [TOK[w] for w in words] + [EOS]
    return ids + [PAD] * (SEQ - len(ids))


def render_pool(n, seed, printed_share=PRINT_SHARE):
    rng = np.random.RandomState(seed)
    pix = torch.empty(n, 3, IMG_H, IMG_W, dtype=torch.uint8)
    ids = torch.empty(n, SEQ, dtype=torch.long)
    for i in range(n):
        words = random_words(rng)
        img = render_line(words, rng, printed=rng.rand() < printed_share)
        pv = to_pixel_values(img, antialias=rng.rand() < 0.5)
        pix[i] = ((pv * 0.5 + 0.5) * 255).round().clamp(0, 255).to(torch.uint8)
        ids[i] = torch.tensor(target_ids(words))
    return pix, ids


def augment(pix_u8, gen):
    """Cheap batch augmentation on 32x256 renders: small affine (scale/shift), contrast, noise."""
    n = pix_u8.shape[0]
    x = pix_u8.float() / 255

    def u(lo, hi):
        return torch.rand(n, generator=gen) * (hi - lo) + lo

    sx, sy = u(0.98, 1.12), u(0.92, 1.15)  # mostly zoom out: never cut words off
    theta = torch.zeros(n, 2, 3)
    theta[:, 0, 0], theta[:, 1, 1] = sx, sy
    theta[:, 0, 2], theta[:, 1, 2] = u(-0.03, 0.03), u(-0.08, 0.08)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    x = F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)
    c = u(0.75, 1.15).view(n, 1, 1, 1)
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    x = (x - mean) * c + mean + u(-0.06, 0.06).view(n, 1, 1, 1)
    x = x + torch.randn(x.shape, generator=gen) * u(0, 0.03).view(n, 1, 1, 1)
    return (x.clamp(0, 1) - 0.5) / 0.5


# --------------------------------------------------------------------------- model (DeiT encoder + TrOCR decoder)


class Linear(nn.Linear):
    """nn.Linear that trains through one 1x1 oneDNN convolution over all rows ([1, in, rows, 1]).

    Debian's torch uses the reference BLAS; this layout is ~2-3x faster again than
    export_common.Linear's [rows, in, 1, 1]. Eval/export uses F.linear (ONNX MatMul/Gemm)."""

    def forward(self, x):
        if not self.training:
            return super().forward(x)
        rows = x.reshape(-1, self.in_features).t().reshape(1, self.in_features, -1, 1)
        y = F.conv2d(rows, self.weight[:, :, None, None], self.bias)
        return y.reshape(self.out_features, -1).t().reshape(*x.shape[:-1], self.out_features)


class ViTBlock(nn.Module):
    """Pre-LN ViT/DeiT encoder layer."""

    def __init__(self, dim, heads, mlp, eps=1e-12):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(dim, eps=eps), nn.LayerNorm(dim, eps=eps)
        self.attn = TrOCRAttention(dim, heads, dim)
        self.fc1, self.fc2 = Linear(dim, mlp), Linear(mlp, dim)

    def forward(self, x):
        h = self.ln1(x)
        a = self.attn
        x = x + a.attend(h, a.split(a.k_proj(h)), a.split(a.v_proj(h)))
        return x + self.fc2(F.gelu(self.fc1(self.ln2(x))))


def sincos_2d(gh, gw, dim):
    """[1, gh*gw, dim] row-major 2-D sine/cosine position table (half the channels per axis)."""
    q = dim // 4
    freq = 1.0 / (100.0 ** (torch.arange(q, dtype=torch.float32) / q))
    y, x = torch.meshgrid(torch.arange(gh, dtype=torch.float32), torch.arange(gw, dtype=torch.float32),
                          indexing="ij")
    y, x = y.reshape(-1, 1) * freq, x.reshape(-1, 1) * freq
    return torch.cat([x.sin(), x.cos(), y.sin(), y.cos()], dim=1).unsqueeze(0)


class DeiTEncoder(nn.Module):
    """DeiT-style: conv patch embedding, [CLS] + [DIST] tokens, pre-LN blocks, final LN."""

    def __init__(self, h, w, patch, dim, layers, heads, mlp, eps=1e-12):
        super().__init__()
        # Deviation from DeiT: a small conv stem (4 stride-2 3x3 convs + BatchNorm, 16x downsampling,
        # so the same 2x16 token grid as 16x16 patches) instead of one 16x16 patch conv. A linear patch
        # embedding trained from scratch does not learn to read within a few minutes of CPU time.
        assert patch == 16
        chans = [3, 16, 32, 48, dim]
        stem = []
        for i in range(4):
            stem += [nn.Conv2d(chans[i], chans[i + 1], 3, 2, 1), nn.BatchNorm2d(chans[i + 1])]
            if i < 3:
                stem.append(nn.GELU())
        self.patch = nn.Sequential(*stem)
        self.cls = nn.Parameter(torch.randn(1, 1, dim) * 0.02)
        self.dist = nn.Parameter(torch.randn(1, 1, dim) * 0.02)
        # Learned, but initialised with a 2-D sinusoidal table: with a tiny init the patches
        # carry almost no position, and the decoder cannot learn the word order.
        self.pos = nn.Parameter(torch.cat([torch.randn(1, 2, dim) * 0.02,
                                           sincos_2d(h // patch, w // patch, dim)], dim=1))
        self.blocks = nn.ModuleList([ViTBlock(dim, heads, mlp, eps) for _ in range(layers)])
        self.ln = nn.LayerNorm(dim, eps=eps)

    def forward(self, pixel_values):
        x = self.patch(pixel_values).flatten(2).transpose(1, 2)
        b = x.shape[0]
        x = torch.cat([self.cls.expand(b, -1, -1), self.dist.expand(b, -1, -1), x], dim=1) + self.pos
        for blk in self.blocks:
            x = blk(x)
        return self.ln(x)


class TrOCRAttention(nn.Module):
    def __init__(self, dim, heads, kdim):
        super().__init__()
        self.heads, self.head_dim = heads, dim // heads
        self.q_proj, self.out_proj = Linear(dim, dim), Linear(dim, dim)
        self.k_proj, self.v_proj = Linear(kdim, dim), Linear(kdim, dim)

    def split(self, x):
        return x.reshape(x.shape[0], x.shape[1], self.heads, self.head_dim).transpose(1, 2)

    def attend(self, h, k, v, mask=None):
        q = self.split(self.q_proj(h) * (self.head_dim ** -0.5))
        s = torch.matmul(q, k.transpose(-1, -2))
        if mask is not None:
            s = s.masked_fill(~mask, -1e4)
        o = torch.matmul(torch.softmax(s, dim=-1), v).transpose(1, 2)
        return self.out_proj(o.reshape(o.shape[0], o.shape[1], -1))


class TrOCRLayer(nn.Module):
    """Post-LN decoder layer as in HF TrOCRDecoderLayer (self-attn, cross-attn, FFN)."""

    def __init__(self, dim, heads, ffn, kdim):
        super().__init__()
        self.self_attn = TrOCRAttention(dim, heads, dim)
        self.self_attn_layer_norm = nn.LayerNorm(dim)
        self.encoder_attn = TrOCRAttention(dim, heads, kdim)
        self.encoder_attn_layer_norm = nn.LayerNorm(dim)
        self.fc1, self.fc2 = Linear(dim, ffn), Linear(ffn, dim)
        self.final_layer_norm = nn.LayerNorm(dim)

    def forward(self, x, enc, past_k, past_v, past_ck, past_cv, mask):
        sa = self.self_attn
        k = torch.cat([past_k, sa.split(sa.k_proj(x))], dim=2)
        v = torch.cat([past_v, sa.split(sa.v_proj(x))], dim=2)
        x = self.self_attn_layer_norm(x + sa.attend(x, k, v, mask))
        ca = self.encoder_attn
        # Cross-attention K/V: the cached ones when given (past length = encoder length),
        # else computed from encoder_hidden_states (first step: zero-length past).
        s = enc.shape[1]
        ck = torch.cat([past_ck, ca.split(ca.k_proj(enc))], dim=2)[:, :, :s]
        cv = torch.cat([past_cv, ca.split(ca.v_proj(enc))], dim=2)[:, :, :s]
        x = self.encoder_attn_layer_norm(x + ca.attend(x, ck, cv))
        x = self.final_layer_norm(x + self.fc2(F.relu(self.fc1(x))))
        return x, k, v, ck, cv


class TrOCRDecoder(nn.Module):
    """HF TrOCRForCausalLM-shaped: scaled token embedding + learned positions (offset 2),
    layernorm_embedding, post-LN layers, untied output_projection (no bias)."""

    def __init__(self, vocab, dim, layers, heads, ffn, kdim, max_pos):
        super().__init__()
        self.n_layers, self.heads, self.head_dim, self.kdim = layers, heads, dim // heads, kdim
        self.embed_scale = math.sqrt(dim)
        self.embed_tokens = nn.Embedding(vocab, dim, padding_idx=PAD)
        self.embed_positions = nn.Embedding(max_pos + 2, dim)
        self.layernorm_embedding = nn.LayerNorm(dim)
        self.layers = nn.ModuleList([TrOCRLayer(dim, heads, ffn, kdim) for _ in range(layers)])
        self.output_projection = nn.Linear(dim, vocab, bias=False)
        nn.init.normal_(self.embed_tokens.weight, std=dim ** -0.5)
        nn.init.normal_(self.embed_positions.weight, std=0.5)

    def empty_past(self, b):
        z = torch.zeros(b, self.heads, 0, self.head_dim)
        return [z] * (4 * self.n_layers)

    def forward(self, input_ids, encoder_hidden_states, *past):
        """past/presents per layer i: decoder.key, decoder.value, encoder.key, encoder.value."""
        if not past:
            past = self.empty_past(input_ids.shape[0])
        p, t = past[0].shape[2], input_ids.shape[1]
        pos = torch.arange(t) + p
        x = self.embed_tokens(input_ids) * self.embed_scale + self.embed_positions(pos + 2).unsqueeze(0)
        x = self.layernorm_embedding(x)
        mask = (torch.arange(t + p).unsqueeze(0) <= pos.unsqueeze(1)).unsqueeze(0).unsqueeze(0)
        presents = []
        for i, layer in enumerate(self.layers):
            x, *kv = layer(x, encoder_hidden_states, *past[4 * i:4 * i + 4], mask)
            presents += kv
        return (self.output_projection(x), *presents)


class Reader(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = DeiTEncoder(IMG_H, IMG_W, PATCH, ENC["hidden"], ENC["layers"], ENC["heads"], ENC["mlp"])
        self.decoder = TrOCRDecoder(len(TOKENS), DEC["d_model"], DEC["layers"], DEC["heads"], DEC["ffn"],
                                    ENC["hidden"], DEC["max_pos"])

    def forward(self, pixel_values, input_ids):
        return self.decoder(input_ids, self.encoder(pixel_values))[0]


# --------------------------------------------------------------------------- training / evaluation


def exact_match(model, pv, ids, bs=250):
    """Greedy decoding == target iff the teacher-forced argmax matches at every non-pad step."""
    ok = []
    with torch.no_grad():
        for i in range(0, len(pv), bs):
            x, y = pv[i:i + bs], ids[i:i + bs]
            pred = model(x, y[:, :-1]).argmax(-1)
            tgt = y[:, 1:]
            ok.append(((pred == tgt) | (tgt == PAD)).all(1))
    return torch.cat(ok)


def train(model, pool_pix, pool_ids, steps, log, batch=48):
    gen = torch.Generator().manual_seed(SEED + 1)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.01)
    warm = 150
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * 0.5 * (1 + math.cos(math.pi * min(1.0, s / steps))))
    t0 = time.time()
    model.train()
    n = len(pool_pix)
    for step in range(steps):
        idx = torch.randint(n, (batch,), generator=gen)
        pv, ids = augment(pool_pix[idx], gen), pool_ids[idx]
        logits = model(pv, ids[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), ids[:, 1:].reshape(-1),
                               ignore_index=PAD, label_smoothing=0.05)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        if step % 200 == 0 or step == steps - 1:
            model.eval()
            acc = exact_match(model, pv, ids).float().mean().item()
            model.train()
            log(f"step {step:5d} loss {loss.item():.4f} batch-acc {acc:.3f} ({time.time() - t0:.0f}s)")
    model.eval()


def heldout_lines(n, seed, printed_share=0.0, jitter=True):
    rng = np.random.RandomState(seed)
    for _ in range(n):
        words = random_words(rng)
        yield words, render_line(words, rng, printed=rng.rand() < printed_share, jitter=jitter)


def dump_heldout(out_dir, n):
    """Write the first n held-out lines of the main evaluation as PNGs + manifest.json (for check.mjs)."""
    os.makedirs(out_dir, exist_ok=True)
    manifest = []
    for i, (words, img) in enumerate(heldout_lines(n, HELDOUT_SEED)):
        name = f"heldout-{i:04d}.png"
        img.save(os.path.join(out_dir, name))
        manifest.append({"file": name, "text": " ".join(words), "kind": "line"})
    ec.write_json(os.path.join(out_dir, "manifest.json"), manifest)


def heldout(model, n, seed, printed_share=0.0, jitter=True):
    """Fresh PIL renders (new seed), each resized both ways; returns (acc antialiased, acc plain, failures)."""
    pa, pb, ids, texts = [], [], [], []
    for words, img in heldout_lines(n, seed, printed_share, jitter):
        pa.append(to_pixel_values(img, True))
        pb.append(to_pixel_values(img, False))
        ids.append(target_ids(words))
        texts.append(" ".join(words))
    ids = torch.tensor(ids)
    a = exact_match(model, torch.stack(pa), ids)
    b = exact_match(model, torch.stack(pb), ids)
    fails = [t for t, x, y in zip(texts, a.tolist(), b.tolist()) if not (x and y)]
    return a.float().mean().item(), b.float().mean().item(), fails


def greedy(model, pv):
    ids = [DECODER_START]
    with torch.no_grad():
        enc = model.encoder(pv.unsqueeze(0))
        for _ in range(MAX_LENGTH - 1):
            nxt = int(model.decoder(torch.tensor([ids]), enc)[0][0, -1].argmax())
            ids.append(nxt)
            if nxt == EOS:
                break
    return " ".join(TOKENS[i] for i in ids if i >= len(SPECIALS))


# --------------------------------------------------------------------------- fixture images


LINE_TEXTS = [
    "blue fox jumps", "hello world", "the lazy dog sleeps", "good day", "my cat sits near",
    "small bird sings", "the quick red fox", "green tree under moon",
]
PAGE_TEXTS = [
    ["hello world", "the quick fox jumps", "good day"],
    ["my old dog", "a green bird sings", "blue moon over tree"],
]
PRINTED_TEXTS = ["blue fox jumps", "hello world", "the lazy dog sleeps", "good day",
                 "small bird sings", "green tree under moon"]


def save_png(img, path):
    img.save(path, optimize=True)
    if os.path.getsize(path) > 40 * 1024:  # keep fixtures small: fall back to a palette PNG
        img.quantize(colors=24, method=Image.MEDIANCUT, dither=Image.NONE).save(path, optimize=True)


def write_fixture_images(out_dir=IMAGES_DIR):
    """Render fixture PNGs (held-out seeds, independent of training) + manifest.json."""
    os.makedirs(out_dir, exist_ok=True)
    for f in os.listdir(out_dir):
        if f.endswith(".png"):
            os.remove(os.path.join(out_dir, f))
    manifest = []
    for i, text in enumerate(LINE_TEXTS):
        rng = np.random.RandomState(SEED + 50_000 + i)
        font = HAND_FONTS[(i * 3) % len(HAND_FONTS)]
        img = render_line(text.split(), rng, font=font, noise_max=2.0, dark=True)
        if img.height < 56:  # ~60 px high lines
            img = img.resize((round(img.width * 60 / img.height), 60), Image.BICUBIC)
        name = f"line-{i + 1:02d}-{text.replace(' ', '-')}.png"
        save_png(img, os.path.join(out_dir, name))
        manifest.append({"file": name, "text": text, "kind": "line", "width": img.width, "height": img.height})

    for p, lines in enumerate(PAGE_TEXTS):
        rng = np.random.RandomState(SEED + 60_000 + p)
        paper, ink = paper_and_ink(rng, dark=True)
        page = np.zeros((400, 600, 3), np.float32) + np.asarray(paper, np.float32)
        alpha = np.zeros((400, 600, 1), np.float32)
        font = HAND_FONTS[(2 + 5 * p) % len(HAND_FONTS)]
        for j, text in enumerate(lines):
            mask = ink_mask(text, rng, font[0], font[1])
            if mask.width > 540:
                mask = mask.resize((540, round(mask.height * 540 / mask.width)), Image.BILINEAR)
            x0 = 30 + rng.randint(0, max(1, 560 - mask.width - 30))
            y0 = 40 + j * 120 + rng.randint(0, 20)
            m = np.asarray(mask, np.float32)[..., None] / 255
            h, w = m.shape[:2]
            alpha[y0:y0 + h, x0:x0 + w] = np.maximum(alpha[y0:y0 + h, x0:x0 + w], m)
        page = page * (1 - alpha) + np.asarray(ink, np.float32) * alpha
        img = Image.fromarray(np.clip(page, 0, 255).round().astype(np.uint8), "RGB")
        name = f"page-{p + 1}.png"
        save_png(img, os.path.join(out_dir, name))
        manifest.append({"file": name, "text": "\n".join(lines), "kind": "page", "width": 600, "height": 400})

    for i, text in enumerate(PRINTED_TEXTS):
        rng = np.random.RandomState(SEED + 70_000 + i)
        font = PRINT_FONTS[i % len(PRINT_FONTS)]
        img = render_line(text.split(), rng, printed=True, jitter=False, font=font)
        name = f"printed-{i + 1:02d}-{text.replace(' ', '-')}.png"
        save_png(img, os.path.join(out_dir, name))
        manifest.append({"file": name, "text": text, "kind": "printed-line", "width": img.width,
                         "height": img.height, "font": os.path.basename(font[0])})

    ec.write_json(os.path.join(out_dir, "manifest.json"), manifest)
    return manifest


# --------------------------------------------------------------------------- Hub files + ONNX export


def write_hub_files(out_dir):
    os.makedirs(os.path.join(out_dir, "onnx"), exist_ok=True)
    ids = {"bos_token_id": BOS, "pad_token_id": PAD, "eos_token_id": EOS, "decoder_start_token_id": DECODER_START}
    ec.write_json(os.path.join(out_dir, "config.json"), {
        "architectures": ["VisionEncoderDecoderModel"],
        "model_type": "vision-encoder-decoder",
        "is_encoder_decoder": True,
        "tie_word_embeddings": False,
        **ids,
        "encoder": {
            "model_type": "deit",
            "architectures": ["DeiTModel"],
            "image_size": [IMG_H, IMG_W],
            "patch_size": PATCH,
            "num_channels": 3,
            "hidden_size": ENC["hidden"],
            "num_hidden_layers": ENC["layers"],
            "num_attention_heads": ENC["heads"],
            "intermediate_size": ENC["mlp"],
            "hidden_act": "gelu",
            "layer_norm_eps": 1e-12,
            "qkv_bias": True,
            "encoder_stride": PATCH,
        },
        "decoder": {
            "model_type": "trocr",
            "architectures": ["TrOCRForCausalLM"],
            "is_decoder": True,
            "add_cross_attention": True,
            "vocab_size": len(TOKENS),
            "d_model": DEC["d_model"],
            "decoder_layers": DEC["layers"],
            "decoder_attention_heads": DEC["heads"],
            "decoder_ffn_dim": DEC["ffn"],
            "cross_attention_hidden_size": ENC["hidden"],
            "activation_function": "relu",
            "max_position_embeddings": DEC["max_pos"],
            "scale_embedding": True,
            "use_learned_position_embeddings": True,
            "layernorm_embedding": True,
            "tie_word_embeddings": False,
            "init_std": 0.02,
            "decoder_layerdrop": 0.0,
            **ids,
        },
    })
    ec.write_json(os.path.join(out_dir, "generation_config.json"), {
        **ids, "max_length": MAX_LENGTH, "do_sample": False, "num_beams": 1, "use_cache": True})
    ec.write_json(os.path.join(out_dir, "preprocessor_config.json"), {
        "processor_class": "TrOCRProcessor",
        "image_processor_type": "ViTImageProcessor",
        "do_convert_rgb": True,
        "do_resize": True,
        "size": {"height": IMG_H, "width": IMG_W},
        "resample": 2,
        "do_rescale": True,
        "rescale_factor": 1 / 255,
        "do_normalize": True,
        "image_mean": [0.5, 0.5, 0.5],
        "image_std": [0.5, 0.5, 0.5],
    })
    tokenizer = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [{"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                          "normalized": False, "special": True} for i, t in enumerate(SPECIALS)],
        "normalizer": {"type": "Lowercase"},
        "pre_tokenizer": {"type": "Whitespace"},
        "post_processor": None,
        "decoder": None,  # transformers.js then joins word tokens with " " (as the captioner fixture)
        "model": {"type": "WordLevel", "vocab": TOK, "unk_token": "<unk>"},
    }
    ec.write_json(os.path.join(out_dir, "tokenizer.json"), tokenizer)
    ec.write_json(os.path.join(out_dir, "tokenizer_config.json"), {
        "tokenizer_class": "PreTrainedTokenizer",
        "bos_token": "<s>", "eos_token": "</s>", "pad_token": "<pad>", "unk_token": "<unk>",
        "model_max_length": DEC["max_pos"],
        "clean_up_tokenization_spaces": False,
    })


def export_onnx(model, out_dir):
    """encoder_model.onnx + decoder_model_merged.onnx (fp32, opset 14), optimum's TrOCR names
    minus `use_cache_branch` (the graph handles a zero-length past itself)."""
    model = model.eval()
    onnx_dir = os.path.join(out_dir, "onnx")
    b = 2
    pixel_values = torch.randn(b, 3, IMG_H, IMG_W)
    with torch.no_grad():
        torch.onnx.export(
            model.encoder, (pixel_values,), os.path.join(onnx_dir, "encoder_model.onnx"),
            input_names=["pixel_values"], output_names=["last_hidden_state"],
            dynamic_axes={"pixel_values": {0: "batch_size"},
                          "last_hidden_state": {0: "batch_size", 1: "encoder_sequence_length"}},
            opset_version=OPSET, do_constant_folding=True)
        enc = model.encoder(pixel_values)
        dec = model.decoder
        input_ids = torch.tensor([[4, 5], [6, 7]], dtype=torch.long)
        past = []
        in_names, out_names = ["input_ids", "encoder_hidden_states"], ["logits"]
        axes = {"input_ids": {0: "batch_size", 1: "decoder_sequence_length"},
                "encoder_hidden_states": {0: "batch_size", 1: "encoder_sequence_length"},
                "logits": {0: "batch_size", 1: "decoder_sequence_length"}}
        for i in range(dec.n_layers):
            for part, plen, pname in (("decoder", 3, "past_decoder_sequence_length"),
                                      ("encoder", enc.shape[1], "encoder_sequence_length_out")):
                for kv in ("key", "value"):
                    n_in, n_out = f"past_key_values.{i}.{part}.{kv}", f"present.{i}.{part}.{kv}"
                    past.append(torch.randn(b, dec.heads, plen, dec.head_dim))
                    in_names.append(n_in)
                    out_names.append(n_out)
                    axes[n_in] = {0: "batch_size", 2: pname}
                    axes[n_out] = {0: "batch_size", 2: ("past_decoder_sequence_length + 1" if part == "decoder"
                                                        else "encoder_sequence_length_out")}
        torch.onnx.export(
            dec, (input_ids, enc, *past), os.path.join(onnx_dir, "decoder_model_merged.onnx"),
            input_names=in_names, output_names=out_names, dynamic_axes=axes,
            opset_version=OPSET, do_constant_folding=True)


# --------------------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=2400)
    ap.add_argument("--pool", type=int, default=9000, help="pre-rendered training lines")
    ap.add_argument("--images-only", action="store_true", help="only re-render the fixture images")
    ap.add_argument("--dump-heldout", metavar="DIR", help="only write held-out lines as PNGs + manifest to DIR")
    ap.add_argument("--dump-n", type=int, default=200)
    args = ap.parse_args()
    if args.dump_heldout:
        dump_heldout(args.dump_heldout, args.dump_n)
        return

    torch.manual_seed(SEED)
    np.random.seed(SEED)
    torch.set_num_threads(2)
    torch.use_deterministic_algorithms(True)

    manifest = write_fixture_images()
    print(f"wrote {len(manifest)} fixture images to {os.path.relpath(IMAGES_DIR, ROOT)}")
    if args.images_only:
        return

    lines = []

    def log(msg):
        print(msg, flush=True)
        lines.append(msg)

    t0 = time.time()
    pool_pix, pool_ids = render_pool(args.pool, SEED + 100)
    log(f"rendered {args.pool} training lines in {time.time() - t0:.0f}s")
    model = Reader()
    log(f"params: {sum(p.numel() for p in model.parameters()):,}")
    t1 = time.time()
    train(model, pool_pix, pool_ids, args.steps, log)
    log(f"trained {args.steps} steps (batch 48) in {time.time() - t1:.0f}s")

    a, b, fails = heldout(model, 500, HELDOUT_SEED)
    log(f"held-out handwriting lines (500, fresh seed): exact {a:.4f} (PIL antialiased resize), "
        f"{b:.4f} (plain bilinear resize)")
    if fails:
        log(f"  failures: {fails[:10]}")
    pa, pb, _ = heldout(model, 200, SEED + 998, printed_share=1.0)
    log(f"held-out printed lines (200, jittered DejaVu Sans / Liberation Serif): exact {pa:.4f} / {pb:.4f}")

    for m in manifest:
        if m["kind"] == "page":
            continue
        img = Image.open(os.path.join(IMAGES_DIR, m["file"]))
        got = [greedy(model, to_pixel_values(img, aa)) for aa in (True, False)]
        ok = all(g == m["text"] for g in got)
        log(f"  python {'PASS' if ok else 'FAIL'} {m['kind']} {m['file']}: {got[0]!r} / {got[1]!r}")

    write_hub_files(MODEL_DIR)
    export_onnx(model, MODEL_DIR)
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(MODEL_DIR) for f in fs)
    log(f"wrote model to {os.path.relpath(MODEL_DIR, ROOT)} ({total / 1024:.0f} KiB)")
    log(f"total wall time {time.time() - t0:.0f}s")
    with open(LOG_PATH, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
