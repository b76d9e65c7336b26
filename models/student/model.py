"""A small Llama-architecture decoder in plain PyTorch, laid out tensor for tensor as llama.cpp's
`llama` architecture reads it (interleaved "normal" RoPE, RMSNorm, SwiGLU), so that export.py can
write it to GGUF without conversion and llama.cpp and vLLM run it. Used on machines without
transformers; with transformers, finetune_hf.py takes a pretrained checkpoint instead."""
import math
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class Config:
    vocab_size: int
    dim: int = 256
    n_layers: int = 6
    n_heads: int = 8
    ffn_dim: int = 688
    max_seq: int = 4096
    rope_base: float = 10000.0
    eps: float = 1e-5


class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rope(x, pos, base):
    """llama.cpp's LLAMA_ROPE_TYPE_NORM: rotate consecutive pairs (x0, x1), (x2, x3), ..."""
    d = x.shape[-1]
    inv = base ** (-torch.arange(0, d, 2, device=x.device, dtype=torch.float32) / d)
    ang = pos[:, None].float() * inv[None, :]  # (T, d/2)
    cos, sin = ang.cos()[None, None], ang.sin()[None, None]
    x1, x2 = x[..., 0::2], x[..., 1::2]
    out = torch.stack((x1 * cos - x2 * sin, x1 * sin + x2 * cos), dim=-1)
    return out.flatten(-2)


class Block(nn.Module):
    def __init__(self, c: Config):
        super().__init__()
        self.c = c
        self.attn_norm = RMSNorm(c.dim, c.eps)
        self.q = nn.Linear(c.dim, c.dim, bias=False)
        self.k = nn.Linear(c.dim, c.dim, bias=False)
        self.v = nn.Linear(c.dim, c.dim, bias=False)
        self.o = nn.Linear(c.dim, c.dim, bias=False)
        self.ffn_norm = RMSNorm(c.dim, c.eps)
        self.gate = nn.Linear(c.dim, c.ffn_dim, bias=False)
        self.up = nn.Linear(c.dim, c.ffn_dim, bias=False)
        self.down = nn.Linear(c.ffn_dim, c.dim, bias=False)

    def forward(self, x, pos):
        B, T, D = x.shape
        h = self.c.n_heads
        hd = D // h
        y = self.attn_norm(x)
        q = self.q(y).view(B, T, h, hd).transpose(1, 2)
        k = self.k(y).view(B, T, h, hd).transpose(1, 2)
        v = self.v(y).view(B, T, h, hd).transpose(1, 2)
        q, k = rope(q, pos, self.c.rope_base), rope(k, pos, self.c.rope_base)
        # written out rather than F.scaled_dot_product_attention, which Debian's torch 1.13 lacks
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(hd)
        mask = torch.ones(T, T, dtype=torch.bool, device=x.device).triu(1)
        att = scores.masked_fill(mask, float("-inf")).softmax(-1) @ v
        x = x + self.o(att.transpose(1, 2).reshape(B, T, D))
        y = self.ffn_norm(x)
        return x + self.down(F.silu(self.gate(y)) * self.up(y))


class Student(nn.Module):
    def __init__(self, c: Config):
        super().__init__()
        self.c = c
        self.embed = nn.Embedding(c.vocab_size, c.dim)
        self.blocks = nn.ModuleList(Block(c) for _ in range(c.n_layers))
        self.norm = RMSNorm(c.dim, c.eps)
        self.out = nn.Linear(c.dim, c.vocab_size, bias=False)
        for p in self.parameters():
            if p.dim() == 2:
                nn.init.normal_(p, std=0.02 / math.sqrt(2 if p.shape[0] == c.dim else 1))

    def forward(self, tokens):
        pos = torch.arange(tokens.shape[1], device=tokens.device)
        x = self.embed(tokens)
        for b in self.blocks:
            x = b(x, pos)
        return self.out(self.norm(x))
