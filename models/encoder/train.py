"""Trains the encoder student on the JSON lines of models/encoder/dataset.ts (or `radstruct distill
export --format encoder`), with checkpoints and resume, then exports ONNX (export.py).

  /usr/bin/python3 models/encoder/train.py --train .cache/encoder/train.jsonl --val .cache/encoder/val.jsonl \
      --out .cache/encoder/run --minutes 40
"""
import argparse
import json
import math
import os
import random
import time

import numpy as np
import torch

from model import Config, Encoder, WordEncoder

G = 7  # ids per token (core/encoder/tokens.ts idsPerToken)
NF = 16  # candidate features (core/encoder/candidates.ts)
NT = 7  # token features of word tasks (core/encoder/labels.ts tokenFeatureCount)
NLF = 5  # label features (labelFeatureCount)


def load(path, limit=None):
    out = []
    with open(path) as fh:
        for line in fh:
            e = json.loads(line)
            nb, L, W = e['batch'], e['length'], e['width']
            if 'labelTargets' in e:
                NL = len(e['labelTargets'])
                out.append(dict(
                    id=e['id'], families=e['families'], nb=nb, L=L, word=True,
                    ids=np.asarray(e['ids'], dtype=np.int64).reshape(nb, L, G),
                    column=np.asarray(e['column'], dtype=np.int64).reshape(nb, L),
                    gap=np.asarray(e['gap'], dtype=np.int64).reshape(nb, L),
                    tokfeat=np.asarray(e['tokenFeatures'], dtype=np.float32).reshape(nb, L, NT),
                    labfeat=np.asarray(e['labelFeatures'], dtype=np.float32).reshape(nb, L, NL, NLF),
                    labels=np.asarray(e['labelTargets'], dtype=np.int64), category=e['category'],
                ))
                if limit and len(out) >= limit:
                    break
                continue
            out.append(dict(
                id=e['id'], families=e['families'], nb=nb, L=L, W=W,
                ids=np.asarray(e['ids'], dtype=np.int64).reshape(nb, L, G),
                column=np.asarray(e['column'], dtype=np.int64).reshape(nb, L),
                gap=np.asarray(e['gap'], dtype=np.int64).reshape(nb, L),
                tok=np.asarray(e['candidateToken'], dtype=np.int64).reshape(-1, W),
                feat=np.asarray(e['candidateFeatures'], dtype=np.float32).reshape(-1, W, NF),
                cmask=np.asarray(e['candidateMask'], dtype=np.float32).reshape(-1, W),
                targets=e['targets'], category=e['category'],
            ))
            if limit and len(out) >= limit:
                break
    return out


def collate_words(batch, device):
    L = max(e['L'] for e in batch)
    B = sum(e['nb'] for e in batch)
    R = len(batch)
    NL = len(batch[0]['labels'])
    ids = np.zeros((B, L, G), np.int64)
    column = np.zeros((B, L), np.int64)
    gap = np.zeros((B, L), np.int64)
    mask = np.zeros((B, L), np.float32)
    wr = np.zeros((R, B), np.float32)
    tokfeat = np.zeros((B, L, NT), np.float32)
    labfeat = np.zeros((B, L, NL, NLF), np.float32)
    labels = np.full((R, NL), -1, np.int64)
    cat = np.full((R,), -1, np.int64)
    off = 0
    for r, e in enumerate(batch):
        nb, Le = e['nb'], e['L']
        ids[off:off + nb, :Le] = e['ids']
        column[off:off + nb, :Le] = e['column']
        gap[off:off + nb, :Le] = e['gap']
        mask[off:off + nb, :Le] = 1.0
        wr[r, off:off + nb] = 1.0
        tokfeat[off:off + nb, :Le] = e['tokfeat']
        labfeat[off:off + nb, :Le] = e['labfeat']
        labels[r] = e['labels']
        cat[r] = e['category']
        off += nb
    t = lambda a: torch.from_numpy(a).to(device)
    return dict(word=True, ids=t(ids), column=t(column), gap=t(gap), mask=t(mask), wr=t(wr),
                tokfeat=t(tokfeat), labfeat=t(labfeat), labels=t(labels), cat=t(cat))


def collate(batch, device):
    if batch[0].get('word'):
        return collate_words(batch, device)
    L = max(e['L'] for e in batch)
    B = sum(e['nb'] for e in batch)
    R = len(batch)
    F = batch[0]['tok'].shape[0]
    C = max(e['W'] for e in batch)
    ids = np.zeros((B, L, G), np.int64)
    column = np.zeros((B, L), np.int64)
    gap = np.zeros((B, L), np.int64)
    mask = np.zeros((B, L), np.float32)
    wr = np.zeros((R, B), np.float32)
    tok = np.zeros((R, F, C), np.int64)
    feat = np.zeros((R, F, C, NF), np.float32)
    cmask = np.zeros((R, F, C), np.float32)
    pos = np.zeros((R, F, C + 1), np.float32)
    valid = np.zeros((R, F), np.float32)
    cat = np.full((R,), -1, np.int64)
    off = 0
    for r, e in enumerate(batch):
        nb, Le, W = e['nb'], e['L'], e['W']
        ids[off:off + nb, :Le] = e['ids']
        column[off:off + nb, :Le] = e['column']
        gap[off:off + nb, :Le] = e['gap']
        mask[off:off + nb, :Le] = 1.0
        wr[r, off:off + nb] = 1.0
        w, p = e['tok'] // Le, e['tok'] % Le
        tok[r, :, :W] = (off + w) * L + p
        feat[r, :, :W] = e['feat']
        cmask[r, :, :W] = e['cmask']
        for f, t in enumerate(e['targets']):
            if t is None:
                continue
            valid[r, f] = 1.0
            if len(t) == 0:
                pos[r, f, 0] = 1.0
            else:
                for c in t:
                    pos[r, f, 1 + c] = 1.0
        cat[r] = e['category']
        off += nb
    # padding tokens of a real window are masked by `mask`; padded candidates point at token 0
    tok = tok * (cmask > 0)
    t = lambda a: torch.from_numpy(a).to(device)
    return dict(ids=t(ids), column=t(column), gap=t(gap), mask=t(mask), wr=t(wr), tok=t(tok),
                feat=t(feat), cmask=t(cmask), pos=t(pos), valid=t(valid), cat=t(cat))


def forward(model, b, train):
    hidden = model.base(b['ids'], b['column'], b['gap'], b['mask'])
    p = model.cfg.dropout
    if train and p > 0:
        keep = 1.0 - p
        din = torch.bernoulli(torch.full_like(hidden, keep)) / keep
        dout = torch.bernoulli(torch.full_like(hidden, keep)) / keep
    else:
        din = dout = torch.ones_like(hidden)
    if b.get('word'):
        return model.top(hidden, b['ids'][:, :, 0], b['mask'], din, dout, b['wr'], b['tokfeat'], b['labfeat'])
    return model.top(hidden, b['ids'][:, :, 0], b['mask'], din, dout, b['wr'], b['tok'], b['feat'], b['cmask'])


def word_outputs(model, out):
    """(labelLogits or None, categoryLogits or None) of a word model's outputs."""
    out = list(out)
    ll = out.pop(0) if model.cfg.labels > 0 else None
    if model.cfg.labels > 0:
        out.pop(0)  # label scores: evidence only
    cl = out.pop(0) if model.cfg.categories > 0 else None
    return ll, cl


def word_loss(model, out, b):
    ll, cl = word_outputs(model, out)
    zero = b['mask'].sum() * 0
    lab = zero
    if ll is not None:
        has = b['labels'] >= 0
        lab = torch.nn.functional.cross_entropy(ll[has], b['labels'][has]) if has.any() else zero
    cat = zero
    if cl is not None:
        has = b['cat'] >= 0
        cat = torch.nn.functional.cross_entropy(cl[has], b['cat'][has]) if has.any() else zero
    return lab + cat, lab, cat


@torch.no_grad()
def evaluate_words(model, data, device, bs=16):
    """Label status accuracy over all labels and over mentioned ones, category accuracy, by family."""
    model.eval()
    right = total = mright = mtotal = cright = ctotal = 0
    by_family = {}
    for i in range(0, len(data), bs):
        chunk = data[i:i + bs]
        b = collate(chunk, device)
        ll, cl = word_outputs(model, forward(model, b, False))
        for r, e in enumerate(chunk):
            fam = e['families'][0] if e['families'] else 'all'
            a = by_family.setdefault(fam, [0, 0])
            if ll is not None:
                pred = ll[r].argmax(-1)
                for li, g in enumerate(e['labels']):
                    if g < 0:
                        continue
                    ok = int(pred[li]) == int(g)
                    right += ok
                    total += 1
                    if g > 0:
                        mright += ok
                        mtotal += 1
                    a[0] += ok
                    a[1] += 1
            if cl is not None and e['category'] >= 0:
                ok = int(cl[r].argmax()) == e['category']
                cright += ok
                ctotal += 1
                if ll is None:
                    a[0] += ok
                    a[1] += 1
    model.train()
    return (right / max(1, total), mright / max(1, mtotal), cright / max(1, ctotal),
            {k: v[0] / max(1, v[1]) for k, v in by_family.items()})


def loss_of(fl, cl, b):
    logz = torch.logsumexp(fl, -1)
    logp = torch.logsumexp(fl + (1.0 - b['pos']) * -1e4, -1)
    nll = ((logz - logp) * b['valid']).sum() / b['valid'].sum().clamp(min=1)
    has = b['cat'] >= 0
    cat = torch.nn.functional.cross_entropy(cl[has], b['cat'][has]) if has.any() else fl.sum() * 0
    return nll + 0.5 * cat, nll, cat


@torch.no_grad()
def evaluate(model, data, device, bs=16):
    model.eval()
    right = total = cright = ctotal = 0
    by_family = {}
    for i in range(0, len(data), bs):
        chunk = data[i:i + bs]
        b = collate(chunk, device)
        fl, cl = forward(model, b, False)
        pred = fl.argmax(-1)
        for r, e in enumerate(chunk):
            ok = n = 0
            for f, t in enumerate(e['targets']):
                p = int(pred[r, f])
                good = (t is not None) and ((len(t) == 0 and p == 0) or (p - 1 in t))
                ok += good
                n += 1
            right += ok
            total += n
            fam = e['families'][0] if e['families'] else 'all'
            a = by_family.setdefault(fam, [0, 0])
            a[0] += ok
            a[1] += n
            if e['category'] >= 0:
                ctotal += 1
                cright += int(cl[r].argmax()) == e['category']
    model.train()
    return right / max(1, total), cright / max(1, ctotal), {k: v[0] / v[1] for k, v in by_family.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--train', required=True)
    ap.add_argument('--val')
    ap.add_argument('--out', required=True)
    ap.add_argument('--minutes', type=float, default=30)
    ap.add_argument('--steps', type=int, default=100000)
    ap.add_argument('--batch', type=int, default=8)
    ap.add_argument('--lr', type=float, default=2e-3)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--layers', type=int, default=3)
    ap.add_argument('--dim', type=int, default=128)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--limit', type=int)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    device = 'cuda' if torch.cuda.is_available() else 'cpu'
    os.makedirs(args.out, exist_ok=True)
    train = load(args.train, args.limit)
    val = load(args.val) if args.val else []
    print(f'train {len(train)} reports, val {len(val)}', flush=True)
    ckpt = os.path.join(args.out, 'checkpoint.pt')
    if train[0].get('word'):
        cats = max(e['category'] for e in train) + 1
        cfg = Config(layers=args.layers, dim=args.dim, fields=1, kind='words', labels=len(train[0]['labels']),
                     categories=cats if cats > 1 else 0, cat_queries=4 if cats > 1 else 1,
                     word_bag=False, token_features=NT, label_features=NLF)
        model = WordEncoder(cfg).to(device)
    else:
        cfg = Config(layers=args.layers, dim=args.dim, fields=train[0]['tok'].shape[0])
        model = Encoder(cfg).to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    step, elapsed = 0, 0.0
    if os.path.exists(ckpt):
        state = torch.load(ckpt, map_location=device)
        model.load_state_dict(state['model'])
        opt.load_state_dict(state['opt'])
        step, elapsed = state['step'], state['elapsed']
        print(f'resumed at step {step} ({elapsed / 60:.1f} min)', flush=True)
    budget = args.minutes * 60
    total_steps = args.steps
    start = time.time() - elapsed
    warm = 200
    order = []
    tokens = 0
    t_log = time.time()

    def save():
        torch.save(dict(model=model.state_dict(), opt=opt.state_dict(), step=step,
                        elapsed=time.time() - start, config=cfg.to_dict()), ckpt + '.tmp')
        os.replace(ckpt + '.tmp', ckpt)

    while step < total_steps and time.time() - start < budget:
        if not order:
            order = list(range(len(train)))
            random.shuffle(order)
        idx = [order.pop() for _ in range(min(args.batch, len(order)))]
        b = collate([train[i] for i in idx], device)
        frac = min(1.0, (time.time() - start) / budget)
        lr = args.lr * min(1.0, (step + 1) / warm) * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * frac)))
        for g in opt.param_groups:
            g['lr'] = lr
        if cfg.kind == 'words':
            loss, nll, cat = word_loss(model, forward(model, b, True), b)
        else:
            fl, cl = forward(model, b, True)
            loss, nll, cat = loss_of(fl, cl, b)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        tokens += int(b['mask'].sum())
        if step % 50 == 0:
            dt = time.time() - t_log
            print(f'step {step} loss {loss.item():.4f} field {nll.item():.4f} cat {cat.item():.4f} '
                  f'lr {lr:.2e} {tokens / dt:.0f} tok/s {(time.time() - start) / 60:.1f} min', flush=True)
            tokens, t_log = 0, time.time()
        if step % 500 == 0:
            save()
            if val and cfg.kind == 'words':
                acc, macc, cacc, fam = evaluate_words(model, val[:400], device)
                print(f'  val labels {acc:.4f} mentioned {macc:.4f} category {cacc:.4f} ' +
                      ' '.join(f'{k}={v:.3f}' for k, v in sorted(fam.items())), flush=True)
            elif val:
                acc, cacc, fam = evaluate(model, val[:400], device)
                print(f'  val fields {acc:.4f} category {cacc:.4f} ' +
                      ' '.join(f'{k}={v:.3f}' for k, v in sorted(fam.items())), flush=True)
    save()
    if val and cfg.kind == 'words':
        acc, macc, cacc, fam = evaluate_words(model, val, device)
        print(f'final val labels {acc:.4f} mentioned {macc:.4f} category {cacc:.4f} ' +
              ' '.join(f'{k}={v:.3f}' for k, v in sorted(fam.items())), flush=True)
        with open(os.path.join(args.out, 'val.json'), 'w') as fh:
            json.dump(dict(labels=acc, mentioned=macc, category=cacc, families=fam, step=step), fh, indent=1)
    elif val:
        acc, cacc, fam = evaluate(model, val, device)
        print(f'final val fields {acc:.4f} category {cacc:.4f} ' +
              ' '.join(f'{k}={v:.3f}' for k, v in sorted(fam.items())), flush=True)
        with open(os.path.join(args.out, 'val.json'), 'w') as fh:
            json.dump(dict(fields=acc, category=cacc, families=fam, step=step), fh, indent=1)


if __name__ == '__main__':
    main()
