"""Writes a trained Student and its SentencePiece tokenizer as a GGUF file that llama.cpp loads
(architecture `llama`, tokenizer model `llama`: SentencePiece pieces, scores and types; digits
split one per token, byte fallback). gguf-py comes from llama.cpp's source bundle inside
node-llama-cpp when it is not installed."""
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def gguf_module():
    try:
        import gguf  # noqa: F401
        return
    except ImportError:
        pass
    src = os.path.join(ROOT, ".cache", "llama.cpp")
    if not os.path.isdir(os.path.join(src, "gguf-py")):
        src = os.path.join(tempfile.gettempdir(), "radstruct-llama.cpp")
        if not os.path.isdir(src):
            bundle = os.path.join(ROOT, "node_modules", "node-llama-cpp", "llama", "gitRelease.bundle")
            subprocess.run(["git", "clone", "-q", bundle, src], check=True)
    sys.path.insert(0, os.path.join(src, "gguf-py"))


def export_gguf(model, sp, out_path, name="radstruct reference student", ftype="f32"):
    gguf_module()
    import gguf

    c = model.c
    w = gguf.GGUFWriter(out_path, "llama")
    w.add_name(name)
    w.add_context_length(c.max_seq)
    w.add_embedding_length(c.dim)
    w.add_block_count(c.n_layers)
    w.add_feed_forward_length(c.ffn_dim)
    w.add_head_count(c.n_heads)
    w.add_head_count_kv(c.n_heads)
    w.add_rope_dimension_count(c.dim // c.n_heads)
    w.add_rope_freq_base(c.rope_base)
    w.add_layer_norm_rms_eps(c.eps)
    w.add_file_type(gguf.LlamaFileType.ALL_F32 if ftype == "f32" else gguf.LlamaFileType.MOSTLY_F16)
    w.add_tokenizer_model("llama")
    w.add_tokenizer_pre("default")
    pieces, scores, types = [], [], []
    for i in range(sp.get_piece_size()):
        pieces.append(sp.id_to_piece(i))
        scores.append(sp.get_score(i))
        if sp.is_unknown(i):
            types.append(gguf.TokenType.UNKNOWN)
        elif sp.is_control(i):
            types.append(gguf.TokenType.CONTROL)
        elif sp.is_byte(i):
            types.append(gguf.TokenType.BYTE)
        else:
            types.append(gguf.TokenType.NORMAL)
    w.add_token_list(pieces)
    w.add_token_scores(scores)
    w.add_token_types(types)
    w.add_bos_token_id(sp.bos_id())
    w.add_eos_token_id(sp.eos_id())
    w.add_unk_token_id(sp.unk_id())
    w.add_add_bos_token(True)
    w.add_add_eos_token(False)

    dtype = np.float32 if ftype == "f32" else np.float16

    def t(name, tensor, keep32=False):
        a = tensor.detach().cpu().float().numpy()
        w.add_tensor(name, a.astype(np.float32 if keep32 or a.ndim == 1 else dtype))

    t("token_embd.weight", model.embed.weight)
    for i, b in enumerate(model.blocks):
        t(f"blk.{i}.attn_norm.weight", b.attn_norm.weight)
        t(f"blk.{i}.attn_q.weight", b.q.weight)
        t(f"blk.{i}.attn_k.weight", b.k.weight)
        t(f"blk.{i}.attn_v.weight", b.v.weight)
        t(f"blk.{i}.attn_output.weight", b.o.weight)
        t(f"blk.{i}.ffn_norm.weight", b.ffn_norm.weight)
        t(f"blk.{i}.ffn_gate.weight", b.gate.weight)
        t(f"blk.{i}.ffn_up.weight", b.up.weight)
        t(f"blk.{i}.ffn_down.weight", b.down.weight)
    t("output_norm.weight", model.norm.weight)
    t("output.weight", model.out.weight)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
