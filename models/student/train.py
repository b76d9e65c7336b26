#!/usr/bin/env python3
"""Trains the reference student from a chat JSONL fine-tuning set (`radstruct distill export`) and
writes it as GGUF. CPU or GPU, plain PyTorch (no transformers needed): a SentencePiece tokenizer
(digits split one per token, byte fallback, the task's keys as single tokens), a small Llama, loss
on the answer only.

  python3 models/student/train.py --train sft/train.jsonl --val sft/validation.jsonl \
      --out models/student-cmr52.gguf --steps 2000

On a machine with transformers and a pretrained checkpoint, use finetune_hf.py instead."""
import argparse
import json
import math
import os
import random
import sys
import tempfile
import time

import sentencepiece as spm
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export import export_gguf  # noqa: E402
from model import Config, Student  # noqa: E402


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def train_tokenizer(examples, vocab_size, out_prefix):
    keys = set()
    for ex in examples:
        for k in json.loads(ex["messages"][1]["content"]).keys():
            keys.add(json.dumps(k) + ":")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        for ex in examples:
            for m in ex["messages"]:
                f.write(m["content"].replace("\n", " ") + "\n")
        corpus = f.name
    spm.SentencePieceTrainer.train(
        input=corpus,
        model_prefix=out_prefix,
        model_type="bpe",
        vocab_size=vocab_size,
        character_coverage=1.0,
        split_digits=True,
        byte_fallback=True,
        user_defined_symbols=sorted(keys) + ["null", ",", "{", "}"],
        bos_id=1,
        eos_id=2,
        unk_id=0,
        pad_id=-1,
        remove_extra_whitespaces=False,
        normalization_rule_name="identity",
        max_sentence_length=20000,
    )
    os.unlink(corpus)
    return spm.SentencePieceProcessor(model_file=out_prefix + ".model")


def encode(sp, ex, max_seq):
    prompt = sp.encode(ex["messages"][0]["content"])
    answer = sp.encode(ex["messages"][1]["content"]) + [sp.eos_id()]
    room = max_seq - 1 - len(answer)
    prompt = prompt[-room:] if room > 0 else []
    ids = [sp.bos_id()] + prompt + answer
    labels = [-100] * (1 + len(prompt)) + answer
    return ids, labels


def batches(data, max_tokens, rng):
    data = sorted(data, key=lambda d: len(d[0]))
    out, cur = [], []
    for d in data:
        if cur and (len(cur) + 1) * len(d[0]) > max_tokens:
            out.append(cur)
            cur = []
        cur.append(d)
    if cur:
        out.append(cur)
    rng.shuffle(out)
    return out


def collate(batch, device):
    n = max(len(ids) for ids, _ in batch)
    x = torch.zeros(len(batch), n, dtype=torch.long)
    y = torch.full((len(batch), n), -100, dtype=torch.long)
    for i, (ids, labels) in enumerate(batch):
        x[i, : len(ids)] = torch.tensor(ids)
        y[i, : len(labels)] = torch.tensor(labels)
    # predict token t+1 from tokens <= t
    return x[:, :-1].to(device), y[:, 1:].to(device)


def evaluate(model, data, max_tokens, device):
    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for b in batches(data, max_tokens, random.Random(0)):
            x, y = collate(b, device)
            logits = model(x)
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), ignore_index=-100, reduction="sum")
            total += loss.item()
            count += (y != -100).sum().item()
    model.train()
    return total / max(count, 1)


def matmul_gflops():
    """Debian's python3-torch uses whatever libblas.so.3 points to: the reference BLAS gives ~4
    GFLOP/s on 2 cores, OpenBLAS (apt-get install libopenblas0-pthread) ~250. Checked at start."""
    a, b = torch.randn(512, 512), torch.randn(512, 512)
    a @ b
    t = time.time()
    for _ in range(10):
        a @ b
    gflops = 10 * 2 * 512**3 / (time.time() - t) / 1e9
    if gflops < 20:
        print("warning: slow BLAS; on Debian, apt-get install libopenblas0-pthread", file=sys.stderr)
    return gflops


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", required=True)
    ap.add_argument("--val")
    ap.add_argument("--out", required=True, help="GGUF file to write")
    ap.add_argument("--vocab", type=int, default=1024)
    ap.add_argument("--dim", type=int, default=256)
    ap.add_argument("--layers", type=int, default=6)
    ap.add_argument("--heads", type=int, default=8)
    ap.add_argument("--ffn", type=int, default=688)
    ap.add_argument("--max-seq", type=int, default=2048)
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--batch-tokens", type=int, default=16384)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--ftype", choices=["f32", "f16"], default="f16")
    ap.add_argument("--save-every", type=int, default=200, help="steps between a checkpoint and a GGUF export (a stopped run leaves a usable model)")
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    print(f"matmul speed: {matmul_gflops():.0f} GFLOP/s", flush=True)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    train_ex = read_jsonl(args.train)
    val_ex = read_jsonl(args.val) if args.val else []
    tok_prefix = os.path.splitext(args.out)[0] + ".tokenizer"
    ckpt_path = os.path.splitext(args.out)[0] + ".ckpt"
    # a resumed run keeps its tokenizer: the checkpoint's embeddings are indexed by it
    if os.path.exists(ckpt_path) and os.path.exists(tok_prefix + ".model"):
        sp = spm.SentencePieceProcessor(model_file=tok_prefix + ".model")
    else:
        sp = train_tokenizer(train_ex, args.vocab, tok_prefix)
    train = [encode(sp, e, args.max_seq) for e in train_ex]
    val = [encode(sp, e, args.max_seq) for e in val_ex]
    c = Config(vocab_size=sp.get_piece_size(), dim=args.dim, n_layers=args.layers, n_heads=args.heads, ffn_dim=args.ffn, max_seq=args.max_seq)
    model = Student(c).to(device)
    params = sum(p.numel() for p in model.parameters())
    print(f"{len(train)} training, {len(val)} validation examples; vocab {c.vocab_size}; {params / 1e6:.2f} M parameters; {device}", flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.9, 0.95), weight_decay=0.1)
    rng = random.Random(args.seed)
    step, start, seen = 0, time.time(), 0
    if os.path.exists(ckpt_path):
        state = torch.load(ckpt_path, map_location=device)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        step = state["step"]
        print(f"resumed at step {step} from {ckpt_path}", flush=True)
    while step < args.steps:
        for b in batches(train, args.batch_tokens, rng):
            if step >= args.steps:
                break
            lr = args.lr * min(1.0, (step + 1) / 100) * 0.5 * (1 + math.cos(math.pi * step / args.steps))
            for g in opt.param_groups:
                g["lr"] = lr
            x, y = collate(b, device)
            logits = model(x)
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), ignore_index=-100)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            seen += x.numel()
            if step % 50 == 0 or step == args.steps:
                msg = f"step {step}/{args.steps} loss {loss.item():.4f} lr {lr:.2e} {seen / (time.time() - start):.0f} tok/s"
                if val and (step % 500 == 0 or step == args.steps):
                    msg += f" val {evaluate(model, val, args.batch_tokens, device):.4f}"
                print(msg, flush=True)
            if step % args.save_every == 0 and step < args.steps:
                torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step}, ckpt_path)
                export_gguf(model, sp, args.out, ftype=args.ftype)
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step}, ckpt_path)
    export_gguf(model.cpu(), sp, args.out, ftype=args.ftype)
    print(f"wrote {args.out} ({os.path.getsize(args.out) / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
