"""The radstruct encoder student: a small transformer over hashed word/trigram ids with layout
embeddings (character column, the gap before a token). Trained with dropout masks on the top
layer's input and output; exported as two graphs, so that the K stochastic passes for stability
(MC dropout on the final token states) re-run only the heads:

  encoder(ids, column, gap, mask) -> states
  heads(states, mask, drop, windowReport, candidateToken, candidateFeatures, candidateMask)
      -> fieldLogits [R, F, 1 + C] (index 0: not stated), categoryLogits [R, K]

The dropout mask is an input (ones for the deterministic pass), so a pass is reproducible from its
seed in any runtime. Shapes follow core/encoder/inputs.ts.
"""
import math

import torch
from torch import nn


class Block(nn.Module):
    def __init__(self, dim, heads, ffn):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)
        self.ln2 = nn.LayerNorm(dim)
        self.ff1 = nn.Linear(dim, ffn)
        self.ff2 = nn.Linear(ffn, dim)

    def forward(self, x, bias):
        b, t, d = x.shape
        h = self.heads
        q, k, v = self.qkv(self.ln1(x)).reshape(b, t, 3, h, d // h).permute(2, 0, 3, 1, 4)
        att = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(d // h) + bias
        y = torch.matmul(torch.softmax(att, dim=-1), v).transpose(1, 2).reshape(b, t, d)
        x = x + self.out(y)
        return x + self.ff2(torch.relu(self.ff1(self.ln2(x))))


class Config:
    def __init__(self, **kw):
        self.dim = kw.get('dim', 128)
        self.heads = kw.get('heads', 4)
        self.layers = kw.get('layers', 3)
        self.ffn = kw.get('ffn', 256)
        self.max_len = kw.get('max_len', 256)
        self.word_buckets = kw.get('word_buckets', 16384)
        self.trigram_buckets = kw.get('trigram_buckets', 8192)
        self.columns = kw.get('columns', 48)
        self.gaps = kw.get('gaps', 5)
        self.features = kw.get('features', 16)
        self.fields = kw.get('fields', 52)
        self.categories = kw.get('categories', 6)
        self.head = kw.get('head', 128)
        self.dropout = kw.get('dropout', 0.1)
        # word tasks (labels with a status, a category from words): 'numbers' is the CMR student
        self.kind = kw.get('kind', 'numbers')
        self.labels = kw.get('labels', 0)
        self.token_features = kw.get('token_features', 7)
        self.label_features = kw.get('label_features', 2)
        self.cat_queries = kw.get('cat_queries', 1)
        # the linear word-vote bag of the category head (word tasks learn shortcuts from it)
        self.word_bag = kw.get('word_bag', True)

    def to_dict(self):
        return dict(self.__dict__)


class Encoder(nn.Module):
    def __init__(self, cfg: Config):
        super().__init__()
        self.cfg = cfg
        d = cfg.dim
        self.word = nn.Embedding(cfg.word_buckets, d, padding_idx=0)
        self.trigram = nn.Embedding(cfg.trigram_buckets, d, padding_idx=0)
        self.pos = nn.Embedding(cfg.max_len, d)
        self.column = nn.Embedding(cfg.columns, d)
        self.gap = nn.Embedding(cfg.gaps, d)
        self.ln0 = nn.LayerNorm(d)
        self.blocks = nn.ModuleList([Block(d, cfg.heads, cfg.ffn) for _ in range(cfg.layers)])
        self.lnf = nn.LayerNorm(d)
        hd = cfg.head
        self.field = nn.Embedding(cfg.fields, d)
        self.cand_h = nn.Linear(d, hd)
        self.cand_f = nn.Linear(d, hd, bias=False)
        self.cand_x = nn.Linear(cfg.features, hd, bias=False)
        self.cand_v = nn.Linear(hd, 1)
        self.bil_h = nn.Linear(d, 32, bias=False)
        self.bil_f = nn.Linear(d, 32, bias=False)
        self.null_p = nn.Linear(d, hd)
        self.null_f = nn.Linear(d, hd, bias=False)
        self.null_x = nn.Linear(3, hd, bias=False)
        self.null_v = nn.Linear(hd, 1)
        self.null_bias = nn.Parameter(torch.zeros(cfg.fields))
        # the category reads an attention pool (a diagnosis is one sentence among hundreds of tokens)
        self.cat_query = nn.Linear(d, 1)
        # and a linear bag of words added to the logits: each word votes for categories directly,
        # so the diagnosis words decide however long the report is (pooled states learned too slowly)
        self.cat_words = nn.Embedding(cfg.word_buckets, cfg.categories, padding_idx=0)
        nn.init.zeros_(self.cat_words.weight)
        self.cat1 = nn.Linear(2 * d, hd)
        self.cat2 = nn.Linear(hd, cfg.categories)
        self.drop = nn.Dropout(cfg.dropout)

    def base(self, ids, column, gap, mask):
        b, t, _ = ids.shape
        pos = torch.arange(t, device=ids.device).unsqueeze(0)
        x = self.word(ids[:, :, 0]) + self.trigram(ids[:, :, 1:]).sum(2)
        x = x + self.pos(pos) + self.column(column) + self.gap(gap)
        x = self.drop(self.ln0(x))
        bias = ((1.0 - mask) * -1e4).reshape(b, 1, 1, t)
        for blk in self.blocks[:-1]:
            x = self.drop(blk(x, bias))
        return x

    def top(self, hidden, words, mask, drop_in, drop_out, window_report, cand_tok, cand_feat, cand_mask):
        """Training: the top layer with dropout masks on its input and output, then the heads."""
        b, t, d = hidden.shape
        bias = ((1.0 - mask) * -1e4).reshape(b, 1, 1, t)
        x = self.lnf(self.blocks[-1](hidden * drop_in, bias))
        bag = self.bag(words, mask, window_report)
        return self.heads(x, bag, mask, drop_out, window_report, cand_tok, cand_feat, cand_mask)

    def bag(self, words, mask, window_report):
        """Category votes of the report's words, summed over all its windows, over sqrt(length)."""
        e = (self.cat_words(words) * mask.unsqueeze(-1)).sum(1)  # [B, K]
        counts = torch.matmul(window_report, mask.sum(1, keepdim=True)).clamp(min=1.0)
        return 30.0 * torch.matmul(window_report, e) / torch.sqrt(counts)

    def encode(self, ids, column, gap, mask):
        """Inference: every layer, deterministic; the stochastic passes re-run only the heads."""
        hidden = self.base(ids, column, gap, mask)
        b, t, d = hidden.shape
        bias = ((1.0 - mask) * -1e4).reshape(b, 1, 1, t)
        return self.lnf(self.blocks[-1](hidden, bias))

    def heads(self, x, bag, mask, drop_out, window_report, cand_tok, cand_feat, cand_mask):
        x = x * drop_out
        b, t, d = x.shape
        # mean over each report's tokens, across its windows
        m = mask.unsqueeze(-1)
        sums = torch.matmul(window_report, (x * m).sum(1))
        counts = torch.matmul(window_report, mask.sum(1, keepdim=True)).clamp(min=1.0)
        pooled = sums / counts  # [R, d]
        r, f, c = cand_tok.shape
        idx = cand_tok.reshape(-1)
        # project every token once, then gather per (field, candidate): the same numbers as
        # projecting each gathered copy, at a 1/F of the cost
        hd = self.cand_h.out_features
        ph = self.cand_h(x).reshape(b * t, hd)[idx].reshape(r, f, c, hd)
        bh = self.bil_h(x).reshape(b * t, -1)[idx].reshape(r, f, c, -1)
        fe = self.field.weight[:f]  # [F, d]
        z = torch.relu(ph + self.cand_f(fe).reshape(1, f, 1, -1) + self.cand_x(cand_feat))
        bil = (bh * self.bil_f(fe).reshape(1, f, 1, -1)).sum(-1)
        score = self.cand_v(z).squeeze(-1) + bil
        score = score * cand_mask + (1.0 - cand_mask) * -1e4
        label = cand_feat[:, :, :, 0] * cand_mask
        null_x = torch.stack(
            [label.max(-1).values, cand_mask.sum(-1) / 10.0, cand_mask.max(-1).values], dim=-1
        )
        nz = torch.relu(
            self.null_p(pooled).reshape(r, 1, -1) + self.null_f(fe).reshape(1, f, -1) + self.null_x(null_x)
        )
        null = self.null_v(nz).squeeze(-1) + self.null_bias[:f]
        field_logits = torch.cat([null.unsqueeze(-1), score], dim=-1)
        # the category reads an attention pool too (a diagnosis is one sentence among hundreds of
        # tokens): weights normalised per window by its own max, pooled across the report's windows
        att = self.cat_query(x).squeeze(-1) + (1.0 - mask) * -1e4
        e = torch.exp(att - att.max(dim=1, keepdim=True).values) * mask
        num = torch.matmul(window_report, (e.unsqueeze(-1) * x).sum(1))
        den = torch.matmul(window_report, e.sum(1, keepdim=True)).clamp(min=1e-6)
        attended = num / den
        category_logits = self.cat2(torch.relu(self.cat1(torch.cat([pooled, attended], dim=-1)))) + bag
        return field_logits, category_logits


class WordEncoder(Encoder):
    """The student of word tasks: per label a status (not mentioned, positive, negative, uncertain)
    from an attention over the report's tokens, driven by the token states, the label, the task's
    alias matches and cue scopes; a category from several attention pools and a word bag. The
    trunk (embeddings, blocks) is the number student's, so the encoder graph is the same."""

    def __init__(self, cfg: Config):
        super().__init__(cfg)
        d, hd = cfg.dim, 64
        L = max(1, cfg.labels)
        self.tok_x = nn.Linear(cfg.token_features, d, bias=False)
        self.lab_e = nn.Embedding(L, d)
        self.lab_h = nn.Linear(d, hd)
        self.lab_f = nn.Linear(d, hd, bias=False)
        self.lab_x = nn.Linear(cfg.label_features, hd, bias=False)
        self.lab_v = nn.Linear(hd, 1)
        self.lab1 = nn.Linear(2 * d + 2, cfg.head)
        self.lab2 = nn.Linear(cfg.head, 4)
        self.cat_q = nn.Linear(d, cfg.cat_queries)
        self.catw1 = nn.Linear((1 + cfg.cat_queries) * d, cfg.head)

    def top(self, hidden, words, mask, drop_in, drop_out, window_report, tok_feat, lab_feat):
        b, t, d = hidden.shape
        bias = ((1.0 - mask) * -1e4).reshape(b, 1, 1, t)
        x = self.lnf(self.blocks[-1](hidden * drop_in, bias))
        bag = self.bag(words, mask, window_report)
        return self.word_heads(x, bag, mask, drop_out, window_report, tok_feat, lab_feat)

    def word_heads(self, x, bag, mask, drop_out, window_report, tok_feat, lab_feat):
        """-> labelLogits [..., R, L, 4], labelScores [..., B, T, L], categoryLogits [..., R, K].
        `drop_out` may carry leading pass dimensions ([P, B, T, d]): the passes share everything
        that does not see the dropout (the label and alias terms of the attention), so K
        stability passes cost one graph call, not K (heads.onnx exports it that way)."""
        x = x * drop_out + self.tok_x(tok_feat)  # [..., B, T, d]
        b, t, d = x.shape[-3:]
        m = mask.unsqueeze(-1)  # [B, T, 1]
        counts = torch.matmul(window_report, mask.sum(1, keepdim=True)).clamp(min=1.0)
        pooled = torch.matmul(window_report, (x * m).sum(-2)) / counts  # [..., R, d]
        r = window_report.shape[0]
        out = []
        if self.cfg.labels > 0:
            L = self.cfg.labels
            e = self.lab_e.weight[:L]  # [L, d]
            fixed = self.lab_f(e).reshape(1, 1, L, -1) + self.lab_x(lab_feat)  # [B, T, L, hd]
            z = torch.relu(self.lab_h(x).unsqueeze(-2) + fixed)  # [..., B, T, L, hd]
            s = self.lab_v(z).squeeze(-1).clamp(-15.0, 15.0)  # [..., B, T, L]
            # exp without a max shift (scores are clamped), so the weights of a report's windows add up
            w = torch.exp(s) * m  # [..., B, T, L]
            lead = list(w.shape[:-3])
            num = torch.einsum('...btl,...btd->...bld', w, x).reshape(lead + [b, L * d])
            num = torch.matmul(window_report, num).reshape(lead + [r, L, d])
            den = torch.matmul(window_report, w.sum(-2)).clamp(min=1e-6)  # [..., R, L]
            att = num / den.unsqueeze(-1)
            alias = torch.matmul(window_report, (lab_feat[:, :, :, 0] * m).sum(1)).clamp(max=1.0)  # [R, L]
            h = torch.cat([att, e.expand(lead + [r, L, d]), torch.log(den).unsqueeze(-1) / 5.0,
                           alias.expand(lead + [r, L]).unsqueeze(-1)], dim=-1)
            out += [self.lab2(torch.relu(self.lab1(h))), s + (1.0 - m) * -1e4]
        if self.cfg.categories > 0:
            a = self.cat_q(x) + (1.0 - m) * -1e4  # [..., B, T, Q]
            lead = list(a.shape[:-3])
            ea = torch.exp(a - a.max(dim=-2, keepdim=True).values) * m
            num = torch.einsum('...btq,...btd->...bqd', ea, x)
            num = torch.matmul(window_report, num.reshape(lead + [b, -1]))
            den = torch.matmul(window_report, ea.sum(-2)).clamp(min=1e-6)  # [..., R, Q]
            att = (num.reshape(lead + [r, -1, d]) / den.unsqueeze(-1)).reshape(lead + [r, -1])
            logits = self.cat2(torch.relu(self.catw1(torch.cat([pooled, att], dim=-1))))
            out.append(logits + bag if self.cfg.word_bag else logits)
        return tuple(out)


class WordHeads(nn.Module):
    """heads.onnx of a word task: token states (times P dropout masks: the deterministic pass and
    the stability passes in one call), word ids and the word features to labelLogits,
    labelScores and/or categoryLogits, each with the pass as its first dimension."""

    def __init__(self, enc):
        super().__init__()
        self.enc = enc

    def forward(self, states, ids, mask, drop, window_report, token_features, label_features):
        bag = self.enc.bag(ids[:, :, 0], mask, window_report)
        return self.enc.word_heads(states, bag, mask, drop, window_report, token_features, label_features)


class Encode(nn.Module):
    """encoder.onnx: report windows to final token states."""

    def __init__(self, enc):
        super().__init__()
        self.enc = enc

    def forward(self, ids, column, gap, mask):
        return self.enc.encode(ids, column, gap, mask)


class Heads(nn.Module):
    """heads.onnx: token states (times a dropout mask) and word ids to field and category logits."""

    def __init__(self, enc):
        super().__init__()
        self.enc = enc

    def forward(self, states, ids, mask, drop, window_report, cand_tok, cand_feat, cand_mask):
        bag = self.enc.bag(ids[:, :, 0], mask, window_report)
        return self.enc.heads(states, bag, mask, drop, window_report, cand_tok, cand_feat, cand_mask)
