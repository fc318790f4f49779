#!/usr/bin/python3
"""Train + export the tiny AltSight fixture VLM (SmolVLM / Idefics3 layout for transformers.js).

    /usr/bin/python3 scripts/vlm-model/generate.py [--steps N]
    /usr/bin/python3 scripts/vlm-model/generate.py --standin   # random weights, real SmolVLM-256M sizes

Output (relative to the repository root):
  tests/fixtures/models/altsight-test/tiny-shapes-vlm/         (trained, committed)
  scripts/bench/.models/altsight-bench/smolvlm-standin/        (--standin, not committed)

transformers.js 4.x loads it with AutoProcessor + AutoModelForImageTextToText
(model_type "idefics3" -> Idefics3ForConditionalGeneration):

  onnx/vision_encoder.onnx        pixel_values [batch_size, num_images, 3, S, S] float32,
                                  pixel_attention_mask [batch_size, num_images, S, S] bool
                                  -> image_features [batch_size*num_images, image_seq_len, text_hidden]
  onnx/embed_tokens.onnx          input_ids [batch_size, sequence_length] int64
                                  -> inputs_embeds [batch_size, sequence_length, text_hidden]
  onnx/decoder_model_merged.onnx  inputs_embeds, attention_mask [batch_size, total_sequence_length] int64,
                                  position_ids [batch_size, sequence_length] int64,
                                  past_key_values.{i}.key|value [batch_size, kv_heads, past_sequence_length, head_dim]
                                  -> logits, present.{i}.key|value
The first decoder step gets a zero-length past that transformers.js builds from the
graph's input metadata: the batch axis must be called "batch_size", every other
symbolic dim becomes 0, and kv_heads / head_dim must be static.

The fixture answers, about one plain shape on a light background:
  "What colour is the shape?"       -> "red"
  "What shape is it?"               -> "circle"
  "Describe this image in detail."  -> "A red circle on a plain light background. It is the only thing in the picture."
alone or as the second turn of a conversation (all question pairs). Everything is seeded.
"""

import argparse
import importlib.util
import json
import math
import os
import re
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
FIXTURE_MODEL_DIR = os.path.join(ROOT, "scripts", "fixture-model")
sys.path.insert(0, FIXTURE_MODEL_DIR)
import export_common as ec  # noqa: E402  (Linear-through-conv2d, write_json)


def _load_captioner_generator():
    # scripts/fixture-model/generate.py: shape renderer + colour/shape lists (imported under another
    # name: this file is also called generate.py).
    spec = importlib.util.spec_from_file_location("fixture_captioner_generate", os.path.join(FIXTURE_MODEL_DIR, "generate.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


fm = _load_captioner_generator()

MODEL_DIR = os.path.join(ROOT, "tests", "fixtures", "models", "altsight-test", "tiny-shapes-vlm")
STANDIN_DIR = os.path.join(ROOT, "scripts", "bench", ".models", "altsight-bench", "smolvlm-standin")
IMAGES_DIR = fm.IMAGES_DIR
LOG_PATH = os.path.join(HERE, "last-run.log")

SEED = 4321
OPSET = 14
COLOURS = list(fm.COLOURS)
SHAPES = list(fm.SHAPES)

# --------------------------------------------------------------------------- chat format + tokenizer

Q_COLOUR = "What colour is the shape?"
Q_SHAPE = "What shape is it?"
Q_DESCRIBE = "Describe this image in detail."
QUESTIONS = [Q_COLOUR, Q_SHAPE, Q_DESCRIBE]


def answer(question, colour, shape):
    if question == Q_COLOUR:
        return colour
    if question == Q_SHAPE:
        return shape
    article = "An" if colour[0] in "aeiou" else "A"
    return f"{article} {colour} {shape} on a plain light background. It is the only thing in the picture."


# SmolVLM's chat template (HuggingFaceTB/SmolVLM-256M-Instruct, verbatim).
CHAT_TEMPLATE = (
    "<|im_start|>{% for message in messages %}{{message['role'] | capitalize}}"
    "{% if message['content'][0]['type'] == 'image' %}{{':'}}{% else %}{{': '}}{% endif %}"
    "{% for line in message['content'] %}{% if line['type'] == 'text' %}{{line['text']}}"
    "{% elif line['type'] == 'image' %}{{ '<image>' }}{% endif %}{% endfor %}<end_of_utterance>\n"
    "{% endfor %}{% if add_generation_prompt %}{{ 'Assistant:' }}{% endif %}"
)


def render_chat(messages, add_generation_prompt):
    """Python rendering of CHAT_TEMPLATE. messages: [(role, [("image"|"text", text)])]."""
    out = "<|im_start|>"
    for role, content in messages:
        out += role.capitalize() + (":" if content[0][0] == "image" else ": ")
        for kind, text in content:
            out += text if kind == "text" else "<image>"
        out += "<end_of_utterance>\n"
    if add_generation_prompt:
        out += "Assistant:"
    return out


# Special tokens, in the roles SmolVLM gives them (ids differ: the real ones are 0, 1, 2, 49279, 49189, 49190, 49152).
UNK, BOS, PAD, EOU = "<|endoftext|>", "<|im_start|>", "<|im_end|>", "<end_of_utterance>"
FAKE, IMAGE, GLOBAL = "<fake_token_around_image>", "<image>", "<global-img>"
SPECIALS = [UNK, BOS, PAD, EOU, FAKE, IMAGE, GLOBAL]
SPECIAL_RE = re.compile("(" + "|".join(re.escape(s) for s in SPECIALS + ["<row_1_col_1>"]) + ")")
# GPT-2 / SmolLM2 ByteLevel pre-tokenizer regex, restricted to ASCII (all our text is ASCII).
PRETOK_RE = re.compile(r"'s|'t|'re|'ve|'m|'ll|'d| ?[A-Za-z]+| ?[0-9]+| ?[^\sA-Za-z0-9]+|\s+(?!\S)|\s+")


def _byte_level_map():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


BYTE_MAP = _byte_level_map()


def pretokenize(text):
    """Split like transformers.js: added (special) tokens first, then ByteLevel pre-tokens."""
    pieces = []
    for part in SPECIAL_RE.split(text):
        if not part:
            continue
        if part in SPECIALS:
            pieces.append(part)
        else:
            pieces += ["".join(BYTE_MAP[b] for b in m.encode("utf-8")) for m in PRETOK_RE.findall(part)]
    return pieces


def image_prompt(image_seq_len):
    """What Idefics3Processor puts in place of one <image> (do_image_splitting: false)."""
    return FAKE + GLOBAL + IMAGE * image_seq_len + FAKE


def conversation(turns, colour, shape):
    """turns: list of questions; the image goes with the first. -> list of (role, content)."""
    msgs = []
    for i, q in enumerate(turns):
        content = ([("image", "")] if i == 0 else []) + [("text", q)]
        msgs.append(("user", content))
        msgs.append(("assistant", [("text", answer(q, colour, shape))]))
    return msgs


def all_texts():
    """Every string the tokenizer must know, rendered through the chat template."""
    texts = []
    for c in COLOURS:
        for s in SHAPES:
            for q1 in QUESTIONS:
                for q2 in QUESTIONS:
                    texts.append(render_chat(conversation([q1, q2], c, s), False))
    return texts


def build_vocab():
    words = set()
    for t in all_texts():
        words.update(p for p in pretokenize(t) if p not in SPECIALS)
    # a little slack so near-miss user text still tokenizes to known words
    for w in ["Ġcolor", "Ġwhat", "Ġimage", "Ġpicture", "?", "Ġ?", "Ġ", "Ċ", "ĊĊ", "Ġthis", "ĠThe"]:
        words.add(w)
    return SPECIALS + sorted(words)


TOKENS = build_vocab()
TOK = {t: i for i, t in enumerate(TOKENS)}


def encode(text):
    return [TOK.get(p, TOK[UNK]) for p in pretokenize(text)]


def tokenizer_json(tokens, specials):
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": tokens.index(t) if isinstance(tokens, list) else tokens[t], "content": t, "single_word": False,
             "lstrip": False, "rstrip": False, "normalized": False, "special": True}
            for t in specials
        ],
        "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
        "post_processor": None,
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "WordLevel",
                  "vocab": {t: i for i, t in enumerate(tokens)} if isinstance(tokens, list) else tokens,
                  "unk_token": UNK},
    }


# --------------------------------------------------------------------------- model


Linear = ec.Linear


class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


class VisionBlock(nn.Module):
    def __init__(self, dim, heads, mlp, eps):
        super().__init__()
        self.heads, self.hd = heads, dim // heads
        self.ln1 = nn.LayerNorm(dim, eps=eps)
        self.q, self.k, self.v, self.o = (Linear(dim, dim) for _ in range(4))
        self.ln2 = nn.LayerNorm(dim, eps=eps)
        self.fc1, self.fc2 = Linear(dim, mlp), Linear(mlp, dim)

    def forward(self, x):
        b, n, d = x.shape
        h = self.ln1(x)
        q, k, v = (t.reshape(b, n, self.heads, self.hd).transpose(1, 2) for t in (self.q(h), self.k(h), self.v(h)))
        a = torch.softmax(torch.matmul(q, k.transpose(-1, -2)) * (self.hd ** -0.5), -1)
        x = x + self.o(torch.matmul(a, v).transpose(1, 2).reshape(b, n, d))
        return x + self.fc2(F.gelu(self.fc1(self.ln2(x)), approximate="tanh"))


class VisionEncoder(nn.Module):
    """SigLIP-style ViT + Idefics3 pixel shuffle + modality projection."""

    def __init__(self, v, text_hidden, scale_factor):
        super().__init__()
        self.image_size, self.patch = v["image_size"], v["patch_size"]
        dim = v["hidden_size"]
        self.grid = self.image_size // self.patch
        self.scale = scale_factor
        self.patch_embedding = nn.Conv2d(3, dim, self.patch, self.patch)
        self.pos = nn.Parameter(torch.randn(1, self.grid * self.grid, dim) * 0.02)
        self.blocks = nn.ModuleList([VisionBlock(dim, v["num_attention_heads"], v["intermediate_size"], v["layer_norm_eps"])
                                     for _ in range(v["num_hidden_layers"])])
        self.post_ln = nn.LayerNorm(dim, eps=v["layer_norm_eps"])
        self.proj = Linear(dim * scale_factor ** 2, text_hidden, bias=False)

    def pixel_shuffle(self, x):
        # Idefics3Connector.pixel_shuffle, with the sizes static
        s, g = self.scale, self.grid
        b, n, d = x.shape
        x = x.reshape(b, g, g // s, d * s).permute(0, 2, 1, 3)
        x = x.reshape(b, g // s, g // s, d * s * s).permute(0, 2, 1, 3)
        return x.reshape(b, (g // s) ** 2, d * s * s)

    def features(self, images):  # [n, 3, S, S] -> [n, image_seq_len, text_hidden]
        x = self.patch_embedding(images).flatten(2).transpose(1, 2) + self.pos
        for blk in self.blocks:
            x = blk(x)
        return self.proj(self.pixel_shuffle(self.post_ln(x)))

    def forward(self, pixel_values, pixel_attention_mask):
        # [batch, num_images, 3, S, S]; padded (all-false mask) images are zeroed, not dropped
        x = pixel_values * pixel_attention_mask.unsqueeze(2).to(pixel_values.dtype)
        return self.features(x.reshape(-1, 3, self.image_size, self.image_size))


class DecoderLayer(nn.Module):
    def __init__(self, t):
        super().__init__()
        d, self.h, self.kvh = t["hidden_size"], t["num_attention_heads"], t["num_key_value_heads"]
        self.hd = t["head_dim"]
        self.in_norm = RMSNorm(d, t["rms_norm_eps"])
        self.q = Linear(d, self.h * self.hd, bias=False)
        self.k = Linear(d, self.kvh * self.hd, bias=False)
        self.v = Linear(d, self.kvh * self.hd, bias=False)
        self.o = Linear(self.h * self.hd, d, bias=False)
        self.post_norm = RMSNorm(d, t["rms_norm_eps"])
        self.gate = Linear(d, t["intermediate_size"], bias=False)
        self.up = Linear(d, t["intermediate_size"], bias=False)
        self.down = Linear(t["intermediate_size"], d, bias=False)

    @staticmethod
    def rope(x, cos, sin):
        half = x.shape[-1] // 2
        rot = torch.cat([-x[..., half:], x[..., :half]], -1)
        return x * cos + rot * sin

    def forward(self, x, cos, sin, mask, past_k, past_v):
        b, t, _ = x.shape
        h = self.in_norm(x)
        q = self.rope(self.q(h).reshape(b, t, self.h, self.hd).transpose(1, 2), cos, sin)
        k = self.rope(self.k(h).reshape(b, t, self.kvh, self.hd).transpose(1, 2), cos, sin)
        v = self.v(h).reshape(b, t, self.kvh, self.hd).transpose(1, 2)
        k = torch.cat([past_k, k], 2)
        v = torch.cat([past_v, v], 2)
        rep = self.h // self.kvh
        qg = q.reshape(b, self.kvh, rep * t, self.hd)  # grouped-query attention without repeating k/v
        scores = torch.matmul(qg, k.transpose(-1, -2)).reshape(b, self.kvh, rep, t, -1) * (self.hd ** -0.5)
        scores = scores.masked_fill(~mask.unsqueeze(1), -1e4)
        a = torch.softmax(scores, -1).reshape(b, self.kvh, rep * t, -1)
        out = torch.matmul(a, v).reshape(b, self.h, t, self.hd).transpose(1, 2).reshape(b, t, self.h * self.hd)
        x = x + self.o(out)
        h = self.post_norm(x)
        return x + self.down(F.silu(self.gate(h)) * self.up(h)), k, v


class TextDecoder(nn.Module):
    """Llama decoder (RMSNorm, RoPE, GQA, SwiGLU) over inputs_embeds with a KV cache."""

    def __init__(self, t):
        super().__init__()
        self.t = t
        self.layers = nn.ModuleList([DecoderLayer(t) for _ in range(t["num_hidden_layers"])])
        self.norm = RMSNorm(t["hidden_size"], t["rms_norm_eps"])
        self.lm_head = Linear(t["hidden_size"], t["vocab_size"], bias=False)
        hd = t["head_dim"]
        self.register_buffer("inv_freq", 1.0 / (t["rope_theta"] ** (torch.arange(0, hd, 2).float() / hd)), persistent=False)

    def forward(self, inputs_embeds, attention_mask, position_ids, *past):
        b, t, _ = inputs_embeds.shape
        if not past:
            z = inputs_embeds.new_zeros(b, self.t["num_key_value_heads"], 0, self.t["head_dim"])
            past = [z] * (2 * len(self.layers))
        p = past[0].shape[2]
        freqs = position_ids.unsqueeze(-1).float() * self.inv_freq
        emb = torch.cat([freqs, freqs], -1).unsqueeze(1)  # [b, 1, t, hd]
        cos, sin = emb.cos(), emb.sin()
        # query i (absolute p+i) sees key j if j <= p+i and attention_mask[j]
        causal = torch.arange(p + t).unsqueeze(0) <= (torch.arange(t) + p).unsqueeze(1)  # [t, p+t]
        mask = causal.unsqueeze(0).unsqueeze(0) & attention_mask.bool().unsqueeze(1).unsqueeze(1)  # [b, 1, t, p+t]
        x = inputs_embeds
        presents = []
        for i, layer in enumerate(self.layers):
            x, k, v = layer(x, cos, sin, mask, past[2 * i], past[2 * i + 1])
            presents += [k, v]
        return (self.lm_head(self.norm(x)), *presents)


class TinyVLM(nn.Module):
    def __init__(self, spec):
        super().__init__()
        self.spec = spec
        t = spec["text_config"]
        self.vision = VisionEncoder(spec["vision_config"], t["hidden_size"], spec["scale_factor"])
        self.embed = nn.Embedding(t["vocab_size"], t["hidden_size"])
        nn.init.normal_(self.embed.weight, std=0.02)
        self.decoder = TextDecoder(t)

    def forward(self, images, input_ids, image_mask):
        """Training forward: images [n, 3, S, S], one per row of input_ids; right-padded, no cache."""
        emb = self.embed(input_ids)
        feats = self.vision.features(images)  # [n, seq, d]
        emb = emb.masked_scatter(image_mask.unsqueeze(-1), feats.reshape(-1, feats.shape[-1]))
        b, t = input_ids.shape
        pos = torch.arange(t).unsqueeze(0).expand(b, t)
        return self.decoder(emb, torch.ones(b, t, dtype=torch.long), pos)[0]


class EmbedTokens(nn.Module):
    def __init__(self, embed):
        super().__init__()
        self.embed = embed

    def forward(self, input_ids):
        return self.embed(input_ids)


# --------------------------------------------------------------------------- configs


def make_spec(*, image_size, patch_size, v_hidden, v_layers, v_heads, v_mlp, scale_factor,
              vocab_size, hidden, layers, heads, kv_heads, head_dim, mlp, max_pos, rope_theta=100000.0):
    return {
        "scale_factor": scale_factor,
        "vision_config": dict(image_size=image_size, patch_size=patch_size, hidden_size=v_hidden,
                              num_hidden_layers=v_layers, num_attention_heads=v_heads, intermediate_size=v_mlp,
                              layer_norm_eps=1e-6),
        "text_config": dict(vocab_size=vocab_size, hidden_size=hidden, num_hidden_layers=layers,
                            num_attention_heads=heads, num_key_value_heads=kv_heads, head_dim=head_dim,
                            intermediate_size=mlp, max_position_embeddings=max_pos, rms_norm_eps=1e-5,
                            rope_theta=rope_theta),
    }


def image_seq_len(spec):
    v = spec["vision_config"]
    return (v["image_size"] // v["patch_size"]) ** 2 // spec["scale_factor"] ** 2


def write_hub_files(out_dir, spec, ids, tokenizer, *, max_new_tokens_hint):
    """config.json, generation_config.json, preprocessor_config.json, processor_config.json,
    tokenizer.json, tokenizer_config.json, special_tokens_map.json (SmolVLM-256M-Instruct's shape)."""
    os.makedirs(os.path.join(out_dir, "onnx"), exist_ok=True)
    v, t = spec["vision_config"], spec["text_config"]
    text_config = {
        "model_type": "llama",
        "architectures": ["VLlama3ForCausalLM"],
        "hidden_act": "silu",
        **t,
        "tie_word_embeddings": False,
        "pad_token_id": ids["pad"],
    }
    ec.write_json(os.path.join(out_dir, "config.json"), {
        "architectures": ["Idefics3ForConditionalGeneration"],
        "model_type": "idefics3",
        "image_token_id": ids["image"],
        "scale_factor": spec["scale_factor"],
        "tie_word_embeddings": False,
        "use_cache": True,
        "vocab_size": t["vocab_size"],
        "bos_token_id": ids["bos"],
        "eos_token_id": ids["eos"],
        "pad_token_id": ids["pad"],
        "text_config": text_config,
        "vision_config": {
            "model_type": "idefics3_vision",
            "hidden_act": "gelu_pytorch_tanh",
            "num_channels": 3,
            **v,
            "max_image_size": {"longest_edge": v["image_size"]},
        },
    })
    ec.write_json(os.path.join(out_dir, "generation_config.json"), {
        "bos_token_id": ids["bos"],
        "eos_token_id": ids["eos"],
        "pad_token_id": ids["pad"],
        "do_sample": False,
        "num_beams": 1,
        "max_length": max_new_tokens_hint,
    })
    ec.write_json(os.path.join(out_dir, "preprocessor_config.json"), {
        "image_processor_type": "Idefics3ImageProcessor",
        "processor_class": "Idefics3Processor",
        "do_convert_rgb": True,
        "do_resize": True,
        "size": {"longest_edge": v["image_size"]},
        "resample": 1,
        "do_rescale": True,
        "rescale_factor": 1 / 255,
        "do_normalize": True,
        "image_mean": [0.5, 0.5, 0.5],
        "image_std": [0.5, 0.5, 0.5],
        "do_pad": True,
        "do_image_splitting": False,
        "max_image_size": {"longest_edge": v["image_size"]},
    })
    ec.write_json(os.path.join(out_dir, "processor_config.json"), {
        "image_seq_len": image_seq_len(spec),
        "processor_class": "Idefics3Processor",
    })
    compact = len(tokenizer["model"]["vocab"]) > 1000
    with open(os.path.join(out_dir, "tokenizer.json"), "w") as f:
        json.dump(tokenizer, f, separators=(",", ":") if compact else None, indent=None if compact else 1)
        f.write("\n")
    special = {"bos_token": BOS, "eos_token": EOU, "pad_token": PAD, "unk_token": UNK,
               "additional_special_tokens": [FAKE, IMAGE, EOU]}
    ec.write_json(os.path.join(out_dir, "special_tokens_map.json"), special)
    ec.write_json(os.path.join(out_dir, "tokenizer_config.json"), {
        "tokenizer_class": "GPT2Tokenizer",
        **special,
        "add_prefix_space": False,
        "clean_up_tokenization_spaces": False,
        "model_max_length": t["max_position_embeddings"],
        "processor_class": "Idefics3Processor",
        "chat_template": CHAT_TEMPLATE,
    })
    # like the Hub repo: the processor's template too (transformers.js reads the tokenizer's)
    ec.write_json(os.path.join(out_dir, "chat_template.json"), {"chat_template": CHAT_TEMPLATE})


# --------------------------------------------------------------------------- ONNX export


def export_onnx(model, out_dir):
    model = model.eval()
    spec = model.spec
    v, t = spec["vision_config"], spec["text_config"]
    onnx_dir = os.path.join(out_dir, "onnx")
    os.makedirs(onnx_dir, exist_ok=True)
    S = v["image_size"]
    with torch.no_grad():
        pv = torch.randn(2, 1, 3, S, S)
        pam = torch.ones(2, 1, S, S, dtype=torch.bool)
        torch.onnx.export(
            model.vision, (pv, pam), os.path.join(onnx_dir, "vision_encoder.onnx"),
            input_names=["pixel_values", "pixel_attention_mask"], output_names=["image_features"],
            dynamic_axes={"pixel_values": {0: "batch_size", 1: "num_images"},
                          "pixel_attention_mask": {0: "batch_size", 1: "num_images"},
                          "image_features": {0: "batch_size * num_images"}},
            opset_version=OPSET, do_constant_folding=True)

        ids = torch.tensor([[1, 2, 3], [3, 2, 1]], dtype=torch.long) % t["vocab_size"]
        torch.onnx.export(
            EmbedTokens(model.embed), (ids,), os.path.join(onnx_dir, "embed_tokens.onnx"),
            input_names=["input_ids"], output_names=["inputs_embeds"],
            dynamic_axes={"input_ids": {0: "batch_size", 1: "sequence_length"},
                          "inputs_embeds": {0: "batch_size", 1: "sequence_length"}},
            opset_version=OPSET, do_constant_folding=True)

        # trace with t=2, past=3 so that no dimension is specialised to 0 or 1
        b, tt, p = 2, 2, 3
        embeds = torch.randn(b, tt, t["hidden_size"])
        mask = torch.ones(b, p + tt, dtype=torch.long)
        pos = torch.arange(p, p + tt).unsqueeze(0).expand(b, tt).contiguous()
        past = [torch.randn(b, t["num_key_value_heads"], p, t["head_dim"]) for _ in range(2 * t["num_hidden_layers"])]
        in_names = ["inputs_embeds", "attention_mask", "position_ids"]
        out_names = ["logits"]
        axes = {"inputs_embeds": {0: "batch_size", 1: "sequence_length"},
                "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
                "position_ids": {0: "batch_size", 1: "sequence_length"},
                "logits": {0: "batch_size", 1: "sequence_length"}}
        for i in range(t["num_hidden_layers"]):
            for kv in ("key", "value"):
                n_in, n_out = f"past_key_values.{i}.{kv}", f"present.{i}.{kv}"
                in_names.append(n_in)
                out_names.append(n_out)
                axes[n_in] = {0: "batch_size", 2: "past_sequence_length"}
                axes[n_out] = {0: "batch_size", 2: "total_sequence_length"}
        torch.onnx.export(
            model.decoder, (embeds, mask, pos, *past), os.path.join(onnx_dir, "decoder_model_merged.onnx"),
            input_names=in_names, output_names=out_names, dynamic_axes=axes,
            opset_version=OPSET, do_constant_folding=True)


# --------------------------------------------------------------------------- training data

# conversation kinds: single questions and every ordered pair (second turn asked with the first in the history)
KINDS = [[q] for q in QUESTIONS] + [[a, b] for a in QUESTIONS for b in QUESTIONS]


def build_example(kind, colour, shape, seq_len):
    """-> (ids, loss_mask): the full conversation; loss on every assistant answer + its <end_of_utterance>."""
    msgs = conversation(kind, colour, shape)
    ids, loss = [], []
    prompt_so_far = ""
    for i in range(0, len(msgs), 2):
        prompt = render_chat(msgs[:i + 1], True)
        full = render_chat(msgs[:i + 2], False)
        ptoks = encode(prompt.replace(IMAGE, image_prompt(seq_len)))
        ftoks = encode(full.replace(IMAGE, image_prompt(seq_len)))
        assert ftoks[:len(ptoks)] == ptoks
        n_ans = len(encode(" " + msgs[i + 1][1][0][1])) + 1  # " answer" + <end_of_utterance>
        start = len(ids)
        ids = ftoks
        loss += [0] * (len(ptoks) - start) + [1] * n_ans + [0] * (len(ftoks) - len(ptoks) - n_ans)
        prompt_so_far = full
    assert len(ids) == len(loss) and prompt_so_far
    return ids, loss


class Batcher:
    def __init__(self, seq_len):
        self.seq_len = seq_len
        self.cache = {}

    def example(self, k, c, s):
        key = (k, c, s)
        if key not in self.cache:
            self.cache[key] = build_example(KINDS[k], COLOURS[c], SHAPES[s], self.seq_len)
        return self.cache[key]

    def batch(self, colour, shape, kinds):
        rows = [self.example(int(k), int(c), int(s)) for k, c, s in zip(kinds, colour, shape)]
        T = max(len(r[0]) for r in rows)
        ids = torch.full((len(rows), T), TOK[PAD], dtype=torch.long)
        loss = torch.zeros(len(rows), T, dtype=torch.bool)
        for i, (a, m) in enumerate(rows):
            ids[i, :len(a)] = torch.tensor(a)
            loss[i, :len(m)] = torch.tensor(m, dtype=torch.bool)
        return ids, loss


def step_loss(model, pv, ids, loss_mask):
    logits = model(pv, ids[:, :-1], ids[:, :-1] == TOK[IMAGE])
    tgt = loss_mask[:, 1:]
    return logits, F.cross_entropy(logits[tgt], ids[:, 1:][tgt])


def exact(logits, ids, loss_mask):
    """Greedy decoding gives the answer iff the teacher-forced argmax is right at every answer token."""
    tgt = loss_mask[:, 1:]
    wrong = (logits.argmax(-1) != ids[:, 1:]) & tgt
    return ~wrong.any(1)


def train(model, steps, batch, log):
    gen = torch.Generator().manual_seed(SEED + 1)
    batcher = Batcher(image_seq_len(model.spec))
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
    warm = 200
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * 0.5 * (1 + math.cos(math.pi * min(1.0, s / steps))))
    t0 = time.time()
    model.train()
    for step in range(steps):
        pv, colour, shape = fm.render_batch(batch, gen)
        kinds = torch.randint(len(KINDS), (batch,), generator=gen)
        ids, loss_mask = batcher.batch(colour, shape, kinds)
        logits, loss = step_loss(model, pv, ids, loss_mask)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        if step % 250 == 0 or step == steps - 1:
            acc = exact(logits.detach(), ids, loss_mask).float().mean().item()
            log(f"step {step:5d} loss {loss.item():.4f} batch-acc {acc:.3f} ({time.time() - t0:.0f}s)")
    model.eval()


def heldout_accuracy(model, n=2400):
    gen = torch.Generator().manual_seed(SEED + 999)
    batcher = Batcher(image_seq_len(model.spec))
    per_kind = torch.zeros(len(KINDS))
    count = torch.zeros(len(KINDS))
    with torch.no_grad():
        for _ in range(n // 400):
            pv, colour, shape = fm.render_batch(400, gen)
            kinds = torch.randint(len(KINDS), (400,), generator=gen)
            ids, loss_mask = batcher.batch(colour, shape, kinds)
            logits, _ = step_loss(model, pv, ids, loss_mask)
            ok = exact(logits, ids, loss_mask).float()
            per_kind.index_add_(0, kinds, ok)
            count.index_add_(0, kinds, torch.ones_like(ok))
    return (per_kind.sum() / count.sum()).item(), (per_kind / count.clamp(min=1)).tolist()


# --------------------------------------------------------------------------- python-side check on the fixtures


def fixture_pixel_values(path, size):
    """Approximates the Idefics3 image processor: resize longest edge to `size`, then bilinear to size x size."""
    from PIL import Image
    img = Image.open(path).convert("RGB")
    w, h = img.size
    f = size / max(w, h)
    img = img.resize((max(1, int(w * f)), max(1, int(h * f))), Image.LANCZOS)
    a = torch.tensor(np.asarray(img), dtype=torch.float32).permute(2, 0, 1) / 255
    a = F.interpolate(a.unsqueeze(0), size=(size, size), mode="bilinear", align_corners=False)[0]
    return (a - 0.5) / 0.5


def greedy(model, pv, prompt_ids, max_new=24):
    """Decode with the KV cache, the way transformers.js drives the exported graphs."""
    seq = image_seq_len(model.spec)
    with torch.no_grad():
        ids = torch.tensor([prompt_ids])
        emb = model.embed(ids)
        feats = model.vision(pv.view(1, 1, *pv.shape), torch.ones(1, 1, *pv.shape[1:], dtype=torch.bool))
        emb = emb.masked_scatter((ids == TOK[IMAGE]).unsqueeze(-1), feats.reshape(-1, feats.shape[-1]))
        assert int((ids == TOK[IMAGE]).sum()) == seq
        n = ids.shape[1]
        out = model.decoder(emb, torch.ones(1, n, dtype=torch.long), torch.arange(n).unsqueeze(0))
        gen = []
        while True:
            nxt = int(out[0][0, -1].argmax())
            gen.append(nxt)
            if nxt == TOK[EOU] or len(gen) >= max_new:
                break
            n += 1
            out = model.decoder(model.embed(torch.tensor([[nxt]])), torch.ones(1, n, dtype=torch.long),
                                torch.tensor([[n - 1]]), *out[1:])
    return gen


def decode(ids):
    inv = {c: b for b, c in BYTE_MAP.items()}
    text = "".join(TOKENS[i] for i in ids if TOKENS[i] not in SPECIALS)
    return bytes(inv[ch] for ch in text).decode("utf-8")


def fixture_check(model, log):
    with open(os.path.join(IMAGES_DIR, "manifest.json")) as f:
        manifest = json.load(f)
    ok_all = True
    S = model.spec["vision_config"]["image_size"]
    seq = image_seq_len(model.spec)
    for m in manifest:
        if m["file"].endswith(".svg"):
            continue
        _, colour, shape = m["caption"].split(" ")
        pv = fixture_pixel_values(os.path.join(IMAGES_DIR, m["file"]), S)
        for kind in KINDS:
            msgs = conversation(kind, colour, shape)[:-1]
            prompt = render_chat(msgs, True).replace(IMAGE, image_prompt(seq))
            got = decode(greedy(model, pv, encode(prompt))).strip()
            want = answer(kind[-1], colour, shape)
            if got != want:
                ok_all = False
                log(f"  python FAIL {m['file']} {kind}: {got!r} (expected {want!r})")
    log(f"  python fixture check: {'all PASS' if ok_all else 'FAILURES'}")
    return ok_all


# --------------------------------------------------------------------------- main

TINY = dict(image_size=32, patch_size=8, v_hidden=64, v_layers=2, v_heads=4, v_mlp=128, scale_factor=2,
            hidden=64, layers=2, heads=4, kv_heads=2, head_dim=16, mlp=128, max_pos=128)

# HuggingFaceTB/SmolVLM-256M-Instruct
REAL = dict(image_size=512, patch_size=16, v_hidden=768, v_layers=12, v_heads=12, v_mlp=3072, scale_factor=4,
            vocab_size=49280, hidden=576, layers=30, heads=9, kv_heads=3, head_dim=64, mlp=1536, max_pos=8192)


def folder_size(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def standin():
    """Random weights, SmolVLM-256M-Instruct's real architecture and sizes, with a tokenizer whose
    special tokens sit at the real ids (vocab padded with filler words to 49280)."""
    torch.manual_seed(SEED)
    real_ids = {UNK: 0, BOS: 1, PAD: 2, GLOBAL: 49152, FAKE: 49189, IMAGE: 49190, EOU: 49279}
    vocab = dict(real_ids)
    words = [t for t in TOKENS if t not in SPECIALS]
    free = (i for i in range(3, 49280) if i not in real_ids.values())
    for w in words:
        vocab[w] = next(free)
    for i in free:
        vocab[f"<unused_{i}>"] = i
    assert len(vocab) == 49280
    spec = make_spec(**REAL)
    model = TinyVLM(spec).eval()
    with torch.no_grad():  # keep activations in a sane range for random weights
        for p in model.parameters():
            if p.dim() > 1:
                p.normal_(0, 0.02)
    ids = {"bos": 1, "eos": 49279, "pad": 2, "image": 49190}
    write_hub_files(STANDIN_DIR, spec, ids, tokenizer_json(vocab, SPECIALS), max_new_tokens_hint=8192)
    t0 = time.time()
    export_onnx(model, STANDIN_DIR)
    print(f"exported in {time.time() - t0:.0f}s")
    for d, _, fs in os.walk(STANDIN_DIR):
        for f in sorted(fs):
            print(f"  {os.path.relpath(os.path.join(d, f), STANDIN_DIR):40s} {os.path.getsize(os.path.join(d, f)) / 2**20:9.1f} MiB")
    print(f"wrote {os.path.relpath(STANDIN_DIR, ROOT)} ({folder_size(STANDIN_DIR) / 2**20:.0f} MiB)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--standin", action="store_true", help="random-weight SmolVLM-256M-sized model for benchmarks")
    ap.add_argument("--save-weights", help="also save the trained state_dict here (e.g. /tmp/tiny-vlm.pt)")
    ap.add_argument("--load-weights", help="skip training: load a state_dict saved by --save-weights, check, export")
    args = ap.parse_args()

    torch.set_num_threads(2)
    # Tiny weights drift into denormal floats, which made steps ~20x slower on this CPU.
    torch.set_flush_denormal(True)
    if args.standin:
        return standin()

    torch.manual_seed(SEED)
    np.random.seed(SEED)
    torch.use_deterministic_algorithms(True)
    logf = open(LOG_PATH, "w")

    def log(msg):
        print(msg, flush=True)
        logf.write(msg + "\n")
        logf.flush()

    spec = make_spec(vocab_size=len(TOKENS), **TINY)
    model = TinyVLM(spec)
    log(f"vocab {len(TOKENS)}, image tokens per image {image_seq_len(spec)}, "
        f"params {sum(p.numel() for p in model.parameters()):,}, steps {args.steps}, batch {args.batch}")
    if args.load_weights:
        model.load_state_dict(torch.load(args.load_weights))
        model.eval()
    else:
        t0 = time.time()
        train(model, args.steps, args.batch, log)
        log(f"trained in {time.time() - t0:.0f}s")
        if args.save_weights:
            torch.save(model.state_dict(), args.save_weights)
    acc, per_kind = heldout_accuracy(model)
    log(f"held-out synthetic exact-answer accuracy: {acc:.4f}")
    for k, a in zip(KINDS, per_kind):
        log(f"  {' / '.join(k)}: {a:.4f}")
    ok = fixture_check(model, log)

    ids = {"bos": TOK[BOS], "eos": TOK[EOU], "pad": TOK[PAD], "image": TOK[IMAGE]}
    write_hub_files(MODEL_DIR, spec, ids, tokenizer_json(TOKENS, SPECIALS), max_new_tokens_hint=128)
    export_onnx(model, MODEL_DIR)
    log(f"wrote {os.path.relpath(MODEL_DIR, ROOT)} ({folder_size(MODEL_DIR) / 1024:.0f} KiB)")
    if not ok:
        print("WARNING: python-side fixture check failed", file=sys.stderr)


if __name__ == "__main__":
    main()
