#!/usr/bin/python3
"""Random-weight stand-in for Mozilla/distilvit, for benchmarks (NOT committed).

    /usr/bin/python3 scripts/fixture-model/standin.py [--vocab 50257] [--max-length 20]

Same architecture sizes as distilvit: ViT-B/16 encoder at 224x224 (12 layers,
width 768, 12 heads, CLS token -> 197 tokens) + GPT-2 decoder with cross-attention
(6 layers, width 768, 12 heads, vocab 50257, tied LM head), exported fp32 in the
same Hub layout / ONNX interface as the fixture model (export_common.py), to
scripts/bench/.models/altsight-bench/distilvit-standin/ (gitignored).

The tokenizer is a WordLevel vocabulary of placeholder tokens ("t0", "t1", ...,
"<|endoftext|>" = 50256 as bos/eos/pad/unk, like GPT-2), so captions are gibberish;
with random weights generation usually runs to max_length.
"""

import argparse
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_common as ec  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT_DIR = os.path.join(ROOT, "scripts", "bench", ".models", "altsight-bench", "distilvit-standin")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vocab", type=int, default=50257)
    ap.add_argument("--max-length", type=int, default=20,
                    help="generation_config max_length (distilvit's decoder config uses 20)")
    ap.add_argument("--out", default=OUT_DIR)
    args = ap.parse_args()

    torch.manual_seed(0)
    torch.set_num_threads(2)
    eot = args.vocab - 1
    spec = ec.model_spec(
        image_size=224, patch_size=16, enc_dim=768, enc_layers=12, enc_heads=12, enc_mlp=3072,
        vocab_size=args.vocab, dec_dim=768, dec_layers=6, dec_heads=12, dec_mlp=3072, n_positions=1024,
        bos_id=eot, eos_id=eot, pad_id=eot, cls_token=True,
    )
    tokens = [f"t{i}" for i in range(eot)] + ["<|endoftext|>"]
    special = {"bos": "<|endoftext|>", "eos": "<|endoftext|>", "pad": "<|endoftext|>", "unk": "<|endoftext|>"}

    t0 = time.time()
    model = ec.Captioner(spec).eval()
    print(f"params: {sum(p.numel() for p in model.parameters()):,}")
    ec.write_hub_files(args.out, spec, tokens, special, max_length=args.max_length)
    ec.export_onnx(model, spec, args.out)
    for f in sorted(os.listdir(os.path.join(args.out, "onnx"))):
        size = os.path.getsize(os.path.join(args.out, "onnx", f))
        print(f"  onnx/{f}: {size / 2**20:.1f} MiB")
    print(f"wrote {os.path.relpath(args.out, ROOT)} in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
