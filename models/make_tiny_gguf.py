#!/usr/bin/env python3
"""Writes models/tiny-random.gguf: a Llama-architecture model with random weights and a byte-level
tokenizer, a few hundred kilobytes. It knows nothing; it exists so that tests run the real
llama.cpp runtime (loading, tokenizing, grammar-constrained sampling, parallel sequences) on a
real GGUF file without downloading one.

Usage: python3 models/make_tiny_gguf.py [OUT]   (needs numpy and gguf-py; gguf-py is taken from
llama.cpp's source bundle inside node-llama-cpp: node_modules/node-llama-cpp/llama/gitRelease.bundle)
"""
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def gguf_module():
    try:
        import gguf  # noqa: F401
        return
    except ImportError:
        pass
    src = os.path.join(tempfile.gettempdir(), "radstruct-llama.cpp")
    if not os.path.isdir(src):
        bundle = os.path.join(ROOT, "node_modules", "node-llama-cpp", "llama", "gitRelease.bundle")
        subprocess.run(["git", "clone", "-q", bundle, src], check=True)
    sys.path.insert(0, os.path.join(src, "gguf-py"))


def byte_tokens():
    """GPT-2's byte-to-unicode table: every byte is one printable token."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    table = dict(zip(bs, cs))
    return [chr(table[b]) for b in range(256)]


def main(out):
    gguf_module()
    import gguf

    rng = np.random.default_rng(20261123)
    n_embd, n_layer, n_head, n_ff, n_ctx = 64, 2, 4, 128, 8192
    # llama.cpp wants at least one merge: "u l" -> "ul" (as in "null")
    tokens = byte_tokens() + ["<s>", "</s>", "ul"]
    n_vocab = len(tokens)
    w = gguf.GGUFWriter(out, "llama")
    w.add_name("radstruct tiny random (test fixture)")
    w.add_context_length(n_ctx)
    w.add_embedding_length(n_embd)
    w.add_block_count(n_layer)
    w.add_feed_forward_length(n_ff)
    w.add_head_count(n_head)
    w.add_head_count_kv(n_head)
    w.add_rope_dimension_count(n_embd // n_head)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_file_type(gguf.LlamaFileType.ALL_F32)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("gpt-2")
    w.add_token_list(tokens)
    w.add_token_types([gguf.TokenType.NORMAL] * 256 + [gguf.TokenType.CONTROL] * 2 + [gguf.TokenType.NORMAL])
    w.add_token_merges(["u l"])
    w.add_bos_token_id(256)
    w.add_eos_token_id(257)
    w.add_add_bos_token(True)

    def t(name, *shape):
        w.add_tensor(name, (rng.standard_normal(shape) * 0.02).astype(np.float32))

    t("token_embd.weight", n_vocab, n_embd)
    for i in range(n_layer):
        w.add_tensor(f"blk.{i}.attn_norm.weight", np.ones(n_embd, dtype=np.float32))
        t(f"blk.{i}.attn_q.weight", n_embd, n_embd)
        t(f"blk.{i}.attn_k.weight", n_embd, n_embd)
        t(f"blk.{i}.attn_v.weight", n_embd, n_embd)
        t(f"blk.{i}.attn_output.weight", n_embd, n_embd)
        w.add_tensor(f"blk.{i}.ffn_norm.weight", np.ones(n_embd, dtype=np.float32))
        t(f"blk.{i}.ffn_gate.weight", n_ff, n_embd)
        t(f"blk.{i}.ffn_up.weight", n_ff, n_embd)
        t(f"blk.{i}.ffn_down.weight", n_embd, n_ff)
    w.add_tensor("output_norm.weight", np.ones(n_embd, dtype=np.float32))
    t("output.weight", n_vocab, n_embd)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "tiny-random.gguf"))
