#!/usr/bin/env python3
"""Fine-tunes a pretrained checkpoint on disk (Llama-3.2-1B or similar, Hugging Face layout) on the
chat JSONL set from `radstruct distill export`, with loss on the answer only, then converts it to
GGUF with llama.cpp's convert_hf_to_gguf.py (from the source bundle in node-llama-cpp). The path
users with a GPU take; needs torch and transformers (not available on radstruct's CPU machines).

  python3 models/student/finetune_hf.py --base /models/Llama-3.2-1B --train sft/train.jsonl \
      --val sft/validation.jsonl --out-dir runs/student --gguf models/student-cmr52.gguf
"""
import argparse
import json
import math
import os
import random
import subprocess
import sys

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def encode(tok, ex, max_seq):
    # the worker sends the prompt as raw text (no chat template), so train on exactly that
    prompt = tok(ex["messages"][0]["content"], add_special_tokens=False)["input_ids"]
    answer = tok(ex["messages"][1]["content"], add_special_tokens=False)["input_ids"] + [tok.eos_token_id]
    bos = [tok.bos_token_id] if tok.bos_token_id is not None else []
    if len(bos) + len(prompt) + len(answer) > max_seq:
        return None  # cutting the report would teach the model values it cannot see
    return bos + prompt + answer, [-100] * (len(bos) + len(prompt)) + answer


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", required=True)
    ap.add_argument("--train", required=True)
    ap.add_argument("--val")
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--gguf", required=True)
    ap.add_argument("--epochs", type=float, default=2)
    ap.add_argument("--lr", type=float, default=2e-5)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--max-seq", type=int, default=4096)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    device = "cuda" if torch.cuda.is_available() else "cpu"
    tok = AutoTokenizer.from_pretrained(args.base)
    dtype = torch.bfloat16 if device == "cuda" else torch.float32
    model = AutoModelForCausalLM.from_pretrained(args.base, torch_dtype=dtype).to(device)
    encoded = [encode(tok, e, args.max_seq) for e in read_jsonl(args.train)]
    data = [d for d in encoded if d is not None]
    if len(data) < len(encoded):
        print(f"left out {len(encoded) - len(data)} example(s) longer than --max-seq {args.max_seq}", flush=True)
    random.Random(args.seed).shuffle(data)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.0)
    steps = max(1, int(len(data) * args.epochs / args.batch))
    warmup = max(1, steps // 20)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warmup) * 0.5 * (1 + math.cos(math.pi * min(s, steps) / steps))
    )
    model.train()
    for step in range(steps):
        batch = [data[(step * args.batch + i) % len(data)] for i in range(args.batch)]
        n = max(len(ids) for ids, _ in batch)
        pad = tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id
        x = torch.tensor([ids + [pad] * (n - len(ids)) for ids, _ in batch]).to(device)
        y = torch.tensor([lab + [-100] * (n - len(lab)) for _, lab in batch]).to(device)
        mask = torch.tensor([[1] * len(ids) + [0] * (n - len(ids)) for ids, _ in batch]).to(device)
        loss = model(input_ids=x, attention_mask=mask, labels=y).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
        if step % 50 == 0:
            print(f"step {step}/{steps} loss {loss.item():.4f}", flush=True)
    model.save_pretrained(args.out_dir)
    tok.save_pretrained(args.out_dir)
    converter = os.path.join(ROOT, ".cache", "llama.cpp", "convert_hf_to_gguf.py")
    subprocess.run([sys.executable, converter, args.out_dir, "--outfile", args.gguf, "--outtype", "q8_0"], check=True)
    print(f"wrote {args.gguf}")


if __name__ == "__main__":
    main()
