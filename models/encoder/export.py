"""Exports a trained encoder checkpoint to ONNX (opset 17) as two graphs, encoder.onnx and heads.onnx
(see model.py), plus encoder.json with the configuration the TypeScript runtime checks.

  /usr/bin/python3 models/encoder/export.py --checkpoint .cache/encoder/main/checkpoint.pt \
      --task schemas/tasks/cmr52.json --out models/encoder-cmr52
"""
import argparse
import hashlib
import json
import os

import torch

from model import Config, Encode, Encoder, Heads, WordEncoder, WordHeads


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--checkpoint', required=True)
    ap.add_argument('--task', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--trained-on', default='')
    ap.add_argument('--windows', default='balanced', choices=['balanced', 'fixed'],
                    help='how dataset.ts cut long reports for this checkpoint: fixed before 2026-12')
    ap.add_argument('--parity', help='JSON lines from parity-inputs.ts: their PyTorch outputs are stored')
    args = ap.parse_args()
    state = torch.load(args.checkpoint, map_location='cpu')
    cfg = Config(**state['config'])
    words = cfg.kind == 'words'
    enc = WordEncoder(cfg) if words else Encoder(cfg)
    enc.load_state_dict(state['model'])
    enc.eval()
    os.makedirs(args.out, exist_ok=True)
    B, L, G, R, F, C = 2, 16, 7, 1, cfg.fields, 5
    ids = torch.randint(1, 100, (B, L, G))
    column = torch.zeros(B, L, dtype=torch.long)
    gap = torch.zeros(B, L, dtype=torch.long)
    mask = torch.ones(B, L)
    win = {0: 'windows', 1: 'length'}
    torch.onnx.export(
        Encode(enc).eval(), (ids, column, gap, mask), os.path.join(args.out, 'encoder.onnx'),
        opset_version=17, input_names=['ids', 'column', 'gap', 'mask'], output_names=['states'],
        dynamic_axes={'ids': win, 'column': win, 'gap': win, 'mask': win, 'states': win})
    states = torch.randn(B, L, cfg.dim)
    ones = torch.ones(B, L, cfg.dim)
    wr = torch.ones(R, B)
    tok = torch.randint(0, B * L, (R, F, C))
    feat = torch.rand(R, F, C, cfg.features)
    cmask = torch.ones(R, F, C)
    cand = {0: 'reports', 2: 'width'}
    if words:
        NL = max(1, cfg.labels)
        tf = torch.rand(B, L, cfg.token_features)
        lf = torch.rand(B, L, NL, cfg.label_features)
        outs = (['labelLogits', 'labelScores'] if cfg.labels else []) + (['categoryLogits'] if cfg.categories else [])
        # every pass in one call: drop is [passes, windows, length, dim], outputs lead with the pass
        passes = {0: 'passes', 1: 'windows', 2: 'length'}
        dyn = {'states': win, 'ids': win, 'mask': win, 'drop': passes, 'windowReport': {0: 'reports', 1: 'windows'},
               'tokenFeatures': win, 'labelFeatures': win, 'labelLogits': {0: 'passes', 1: 'reports'},
               'labelScores': passes, 'categoryLogits': {0: 'passes', 1: 'reports'}}
        torch.onnx.export(
            WordHeads(enc).eval(), (states, ids, mask, ones.expand(2, B, L, cfg.dim), wr, tf, lf),
            os.path.join(args.out, 'heads.onnx'),
            opset_version=17,
            input_names=['states', 'ids', 'mask', 'drop', 'windowReport', 'tokenFeatures', 'labelFeatures'],
            output_names=outs, dynamic_axes={k: v for k, v in dyn.items() if k not in ('labelLogits', 'labelScores', 'categoryLogits') or k in outs})
    else:
        torch.onnx.export(
            Heads(enc).eval(), (states, ids, mask, ones, wr, tok, feat, cmask), os.path.join(args.out, 'heads.onnx'),
            opset_version=17,
            input_names=['states', 'ids', 'mask', 'drop', 'windowReport', 'candidateToken',
                         'candidateFeatures', 'candidateMask'],
            output_names=['fieldLogits', 'categoryLogits'],
            dynamic_axes={'states': win, 'ids': win, 'mask': win, 'drop': win, 'windowReport': {0: 'reports', 1: 'windows'},
                          'candidateToken': cand, 'candidateFeatures': cand, 'candidateMask': cand,
                          'fieldLogits': {0: 'reports', 2: 'choices'}, 'categoryLogits': {0: 'reports'}})
    with open(args.task, 'rb') as fh:
        task = json.load(fh)
    digest = hashlib.sha256()
    for name in ('encoder.onnx', 'heads.onnx'):
        with open(os.path.join(args.out, name), 'rb') as fh:
            digest.update(fh.read())
    meta = dict(
        format='radstruct-encoder/1', task=task['id'], config=cfg.to_dict(), step=state['step'],
        dropout=cfg.dropout, digest=digest.hexdigest(), trainedOn=args.trained_on, windows=args.windows,
        # word heads take every pass at once; number heads one pass per call
        heads='passes' if words else 'single',
        fields=[f['key'] for f in task['fields'] if f['kind'] == 'number'],
        labels=[f['key'] for f in task['fields'] if f['kind'] == 'label'],
        category=next((f for f in task['fields'] if f['kind'] == 'category'), {}).get('values'),
    )
    with open(os.path.join(args.out, 'encoder.json'), 'w') as fh:
        json.dump(meta, fh, indent=1)
    if args.parity:
        from train import collate, load
        examples = load(args.parity)
        texts = [json.loads(line)['text'] for line in open(args.parity)]
        out = []
        enc.eval()  # torch.onnx.export restores the wrapper's mode, which may have been training
        with torch.no_grad():
            for e, text in zip(examples, texts):
                b = collate([e], 'cpu')
                if words:
                    states = enc.encode(b['ids'], b['column'], b['gap'], b['mask'])
                    res = WordHeads(enc)(states, b['ids'], b['mask'], torch.ones_like(states), b['wr'],
                                         b['tokfeat'], b['labfeat'])
                    names = (['labelLogits', 'labelScores'] if cfg.labels else []) + (['categoryLogits'] if cfg.categories else [])
                    out.append(dict(text=text, **{n: [round(float(x), 5) for x in v.reshape(-1)]
                                                  for n, v in zip(names, res) if n != 'labelScores'}))
                    continue
                states = enc.encode(b['ids'], b['column'], b['gap'], b['mask'])
                fl, cl = Heads(enc)(states, b['ids'], b['mask'], torch.ones_like(states), b['wr'], b['tok'],
                                    b['feat'], b['cmask'])
                out.append(dict(text=text, width=e['W'], fieldLogits=[round(float(x), 5) for x in fl.reshape(-1)],
                                categoryLogits=[round(float(x), 5) for x in cl.reshape(-1)]))
        with open(os.path.join(args.out, 'parity.json'), 'w') as fh:
            json.dump(out, fh)
    print(f"exported {args.out}: step {state['step']}, digest {meta['digest'][:12]}")


if __name__ == '__main__':
    main()
