"""Shared model definition + Hugging Face Hub-layout ONNX export for AltSight fixture models.

Used by generate.py (tiny trained shapes captioner, committed) and standin.py
(random-weight distilvit-sized stand-in for benchmarks, not committed).

The exported layout is what transformers.js 4.x loads as `vision-encoder-decoder`:
  onnx/encoder_model.onnx        pixel_values -> last_hidden_state
  onnx/decoder_model_merged.onnx input_ids, encoder_hidden_states,
                                 past_key_values.{i}.key / .value  [batch, heads, past, head_dim]
                                 -> logits, present.{i}.key / .value
The decoder handles a zero-length past (first step) without a `use_cache_branch`
input; transformers.js fills the missing past from the graph's input metadata,
which is why the batch axis must be named exactly "batch_size" (any other
symbolic dim resolves to 0).
"""

import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

OPSET = 14


# --------------------------------------------------------------------------- model


class Linear(nn.Linear):
    """nn.Linear that trains through a 1x1 MKL-DNN convolution.

    Debian's torch links the reference BLAS, which makes plain matmuls ~15x
    slower than oneDNN convolutions on CPU. Same maths; eval/export uses F.linear
    (ONNX MatMul/Gemm).
    """

    def forward(self, x):
        if not self.training:
            return super().forward(x)
        y = F.conv2d(x.reshape(-1, self.in_features, 1, 1), self.weight[:, :, None, None], self.bias)
        return y.reshape(*x.shape[:-1], self.out_features)


class Attention(nn.Module):
    def __init__(self, dim, heads, kv_dim=None):
        super().__init__()
        assert dim % heads == 0
        self.heads = heads
        self.head_dim = dim // heads
        kv_dim = kv_dim or dim
        self.q = Linear(dim, dim)
        self.k = Linear(kv_dim, dim)
        self.v = Linear(kv_dim, dim)
        self.o = Linear(dim, dim)

    def split(self, x):
        # [B, T, D] -> [B, H, T, hd]
        return x.reshape(x.shape[0], x.shape[1], self.heads, self.head_dim).transpose(1, 2)

    def merge(self, x):
        # [B, H, T, hd] -> [B, T, D]
        x = x.transpose(1, 2)
        return x.reshape(x.shape[0], x.shape[1], self.heads * self.head_dim)

    def attend(self, q, k, v, mask=None):
        scores = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(self.head_dim))
        if mask is not None:
            scores = scores.masked_fill(~mask, -1e4)
        return self.o(self.merge(torch.matmul(torch.softmax(scores, dim=-1), v)))

    def forward(self, x, ctx=None):
        ctx = x if ctx is None else ctx
        return self.attend(self.split(self.q(x)), self.split(self.k(ctx)), self.split(self.v(ctx)))


class MLP(nn.Sequential):
    def __init__(self, dim, hidden):
        super().__init__(Linear(dim, hidden), nn.GELU(), Linear(hidden, dim))


class EncoderBlock(nn.Module):
    def __init__(self, dim, heads, mlp, eps):
        super().__init__()
        self.ln1 = nn.LayerNorm(dim, eps=eps)
        self.attn = Attention(dim, heads)
        self.ln2 = nn.LayerNorm(dim, eps=eps)
        self.mlp = MLP(dim, mlp)

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class ViTEncoder(nn.Module):
    """ViT-style encoder: conv patch embedding (+ optional CLS token), pre-LN blocks, final LN."""

    def __init__(self, image_size, patch_size, dim, layers, heads, mlp, cls_token=True, eps=1e-12):
        super().__init__()
        self.patch = nn.Conv2d(3, dim, kernel_size=patch_size, stride=patch_size)
        n = (image_size // patch_size) ** 2 + (1 if cls_token else 0)
        self.cls = nn.Parameter(torch.zeros(1, 1, dim)) if cls_token else None
        self.pos = nn.Parameter(torch.randn(1, n, dim) * 0.02)
        self.blocks = nn.ModuleList([EncoderBlock(dim, heads, mlp, eps) for _ in range(layers)])
        self.ln = nn.LayerNorm(dim, eps=eps)

    def forward(self, pixel_values):
        x = self.patch(pixel_values).flatten(2).transpose(1, 2)
        if self.cls is not None:
            x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], dim=1)
        x = x + self.pos
        for b in self.blocks:
            x = b(x)
        return self.ln(x)


class DecoderBlock(nn.Module):
    def __init__(self, dim, heads, mlp, enc_dim, eps):
        super().__init__()
        self.ln1 = nn.LayerNorm(dim, eps=eps)
        self.self_attn = Attention(dim, heads)
        self.ln_x = nn.LayerNorm(dim, eps=eps)
        self.cross_attn = Attention(dim, heads, kv_dim=enc_dim)
        self.ln2 = nn.LayerNorm(dim, eps=eps)
        self.mlp = MLP(dim, mlp)

    def forward(self, x, enc, past_k, past_v, mask):
        a = self.self_attn
        h = self.ln1(x)
        k = torch.cat([past_k, a.split(a.k(h))], dim=2)
        v = torch.cat([past_v, a.split(a.v(h))], dim=2)
        x = x + a.attend(a.split(a.q(h)), k, v, mask)
        x = x + self.cross_attn(self.ln_x(x), enc)
        x = x + self.mlp(self.ln2(x))
        return x, k, v


class GPTDecoder(nn.Module):
    """GPT-2-style decoder with cross-attention and a self-attention KV cache."""

    def __init__(self, vocab, dim, layers, heads, mlp, enc_dim, n_positions, eps=1e-5):
        super().__init__()
        self.layers_n, self.heads, self.head_dim = layers, heads, dim // heads
        self.wte = nn.Embedding(vocab, dim)
        self.wpe = nn.Embedding(n_positions, dim)
        self.blocks = nn.ModuleList([DecoderBlock(dim, heads, mlp, enc_dim, eps) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(dim, eps=eps)
        self.register_buffer("lm_bias", torch.zeros(vocab), persistent=False)
        nn.init.normal_(self.wte.weight, std=0.02)
        nn.init.normal_(self.wpe.weight, std=0.02)

    def empty_past(self, batch):
        z = torch.zeros(batch, self.heads, 0, self.head_dim)
        return [z] * (2 * self.layers_n)

    def forward(self, input_ids, encoder_hidden_states, *past):
        if not past:
            past = self.empty_past(input_ids.shape[0])
        p = past[0].shape[2]
        t = input_ids.shape[1]
        pos = torch.arange(t) + p
        x = self.wte(input_ids) + self.wpe(pos).unsqueeze(0)
        # causal mask over [past + current]: query i (absolute p+i) sees keys j <= p+i
        mask = (torch.arange(t + p).unsqueeze(0) <= pos.unsqueeze(1)).unsqueeze(0).unsqueeze(0)
        presents = []
        for i, b in enumerate(self.blocks):
            x, k, v = b(x, encoder_hidden_states, past[2 * i], past[2 * i + 1], mask)
            presents += [k, v]
        # Tied LM head. Flattening to 2-D with a (zero, frozen) bias makes the ONNX
        # exporter emit Gemm(transB=1) on the shared embedding initializer; the 3-D
        # form becomes MatMul(Transpose(W)), which constant folding turns into a
        # second copy of the embedding matrix.
        h = self.ln_f(x)
        logits = F.linear(h.reshape(-1, h.shape[-1]), self.wte.weight, self.lm_bias)
        return (logits.reshape(h.shape[0], h.shape[1], -1), *presents)


class Captioner(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        e, d = cfg["encoder"], cfg["decoder"]
        self.encoder = ViTEncoder(e["image_size"], e["patch_size"], e["hidden_size"], e["num_hidden_layers"],
                                  e["num_attention_heads"], e["intermediate_size"], cls_token=e.get("cls_token", True),
                                  eps=e["layer_norm_eps"])
        self.decoder = GPTDecoder(d["vocab_size"], d["n_embd"], d["n_layer"], d["n_head"], d["n_inner"],
                                  e["hidden_size"], d["n_positions"], eps=d["layer_norm_epsilon"])

    def forward(self, pixel_values, input_ids):
        return self.decoder(input_ids, self.encoder(pixel_values))[0]


# --------------------------------------------------------------------------- configs


def model_spec(*, image_size, patch_size, enc_dim, enc_layers, enc_heads, enc_mlp,
               vocab_size, dec_dim, dec_layers, dec_heads, dec_mlp, n_positions,
               bos_id, eos_id, pad_id, cls_token=True):
    """Internal spec, also the basis of config.json."""
    return {
        "encoder": dict(image_size=image_size, patch_size=patch_size, hidden_size=enc_dim,
                        num_hidden_layers=enc_layers, num_attention_heads=enc_heads,
                        intermediate_size=enc_mlp, layer_norm_eps=1e-12, cls_token=cls_token),
        "decoder": dict(vocab_size=vocab_size, n_embd=dec_dim, n_layer=dec_layers, n_head=dec_heads,
                        n_inner=dec_mlp, n_positions=n_positions, layer_norm_epsilon=1e-5),
        "ids": dict(bos=bos_id, eos=eos_id, pad=pad_id),
    }


def hub_config(spec):
    e, d, ids = spec["encoder"], spec["decoder"], spec["ids"]
    tok = {"bos_token_id": ids["bos"], "eos_token_id": ids["eos"], "pad_token_id": ids["pad"],
           "decoder_start_token_id": ids["bos"]}
    return {
        "architectures": ["VisionEncoderDecoderModel"],
        "model_type": "vision-encoder-decoder",
        "is_encoder_decoder": True,
        "tie_word_embeddings": False,
        **tok,
        "encoder": {
            "model_type": "vit",
            "architectures": ["ViTModel"],
            "image_size": e["image_size"],
            "patch_size": e["patch_size"],
            "num_channels": 3,
            "hidden_size": e["hidden_size"],
            "num_hidden_layers": e["num_hidden_layers"],
            "num_attention_heads": e["num_attention_heads"],
            "intermediate_size": e["intermediate_size"],
            "hidden_act": "gelu",
            "layer_norm_eps": e["layer_norm_eps"],
            "qkv_bias": True,
        },
        "decoder": {
            "model_type": "gpt2",
            "architectures": ["GPT2LMHeadModel"],
            "add_cross_attention": True,
            "is_decoder": True,
            "activation_function": "gelu",
            "vocab_size": d["vocab_size"],
            "n_embd": d["n_embd"],
            "n_layer": d["n_layer"],
            "n_head": d["n_head"],
            "n_inner": d["n_inner"],
            "n_positions": d["n_positions"],
            "n_ctx": d["n_positions"],
            "layer_norm_epsilon": d["layer_norm_epsilon"],
            **tok,
        },
    }


def write_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")


def write_hub_files(out_dir, spec, tokens, special, *, max_length, image_mean=(0.5, 0.5, 0.5),
                    image_std=(0.5, 0.5, 0.5), resample=2):
    """config.json, generation_config.json, preprocessor_config.json, tokenizer(.json|_config.json).

    tokens: list of token strings (index = id). special: dict role -> token string
    for roles bos/eos/pad/unk.
    """
    os.makedirs(os.path.join(out_dir, "onnx"), exist_ok=True)
    ids = spec["ids"]
    write_json(os.path.join(out_dir, "config.json"), hub_config(spec))
    write_json(os.path.join(out_dir, "generation_config.json"), {
        "decoder_start_token_id": ids["bos"],
        "bos_token_id": ids["bos"],
        "eos_token_id": ids["eos"],
        "pad_token_id": ids["pad"],
        "max_length": max_length,
        "do_sample": False,
        "num_beams": 1,
    })
    size = spec["encoder"]["image_size"]
    write_json(os.path.join(out_dir, "preprocessor_config.json"), {
        "image_processor_type": "ViTImageProcessor",
        "do_convert_rgb": True,
        "do_resize": True,
        "size": {"height": size, "width": size},
        "resample": resample,
        "do_rescale": True,
        "rescale_factor": 1 / 255,
        "do_normalize": True,
        "image_mean": list(image_mean),
        "image_std": list(image_std),
    })
    special_set = set(special.values())
    tokenizer = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True}
            for i, t in enumerate(tokens) if t in special_set
        ],
        "normalizer": {"type": "Lowercase"},
        "pre_tokenizer": {"type": "Whitespace"},
        "post_processor": None,
        "decoder": None,  # transformers.js then joins tokens with " "
        "model": {"type": "WordLevel", "vocab": {t: i for i, t in enumerate(tokens)},
                  "unk_token": special["unk"]},
    }
    with open(os.path.join(out_dir, "tokenizer.json"), "w") as f:
        json.dump(tokenizer, f, separators=(",", ":") if len(tokens) > 1000 else None,
                  indent=None if len(tokens) > 1000 else 2)
        f.write("\n")
    write_json(os.path.join(out_dir, "tokenizer_config.json"), {
        "tokenizer_class": "PreTrainedTokenizer",
        "bos_token": special["bos"],
        "eos_token": special["eos"],
        "pad_token": special["pad"],
        "unk_token": special["unk"],
        "model_max_length": spec["decoder"]["n_positions"],
        "clean_up_tokenization_spaces": False,
    })


# --------------------------------------------------------------------------- ONNX export


def export_onnx(model, spec, out_dir):
    """Export encoder_model.onnx and decoder_model_merged.onnx (fp32, opset 14)."""
    model = model.eval()
    e, d = spec["encoder"], spec["decoder"]
    onnx_dir = os.path.join(out_dir, "onnx")
    os.makedirs(onnx_dir, exist_ok=True)
    b = 2
    size = e["image_size"]
    pixel_values = torch.randn(b, 3, size, size)
    with torch.no_grad():
        torch.onnx.export(
            model.encoder, (pixel_values,), os.path.join(onnx_dir, "encoder_model.onnx"),
            input_names=["pixel_values"], output_names=["last_hidden_state"],
            dynamic_axes={"pixel_values": {0: "batch_size"},
                          "last_hidden_state": {0: "batch_size", 1: "encoder_sequence_length"}},
            opset_version=OPSET, do_constant_folding=True)

        enc = model.encoder(pixel_values)
        heads, hd = d["n_head"], d["n_embd"] // d["n_head"]
        # trace with non-trivial sizes (t=2, past=3) so no dimension is specialised to 0/1
        input_ids = torch.tensor([[1, 2], [2, 1]], dtype=torch.long) % d["vocab_size"]
        past = [torch.randn(b, heads, 3, hd) for _ in range(2 * d["n_layer"])]
        in_names = ["input_ids", "encoder_hidden_states"]
        out_names = ["logits"]
        axes = {"input_ids": {0: "batch_size", 1: "decoder_sequence_length"},
                "encoder_hidden_states": {0: "batch_size", 1: "encoder_sequence_length"},
                "logits": {0: "batch_size", 1: "decoder_sequence_length"}}
        for i in range(d["n_layer"]):
            for kv in ("key", "value"):
                n_in, n_out = f"past_key_values.{i}.{kv}", f"present.{i}.{kv}"
                in_names.append(n_in)
                out_names.append(n_out)
                axes[n_in] = {0: "batch_size", 2: "past_sequence_length"}
                axes[n_out] = {0: "batch_size", 2: "past_sequence_length + sequence_length"}
        torch.onnx.export(
            model.decoder, (input_ids, enc, *past), os.path.join(onnx_dir, "decoder_model_merged.onnx"),
            input_names=in_names, output_names=out_names, dynamic_axes=axes,
            opset_version=OPSET, do_constant_folding=True)
