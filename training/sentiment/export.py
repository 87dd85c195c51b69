"""Export a sentiment checkpoint to the Hugging Face layout inpage ships, check parity, write the card.

  /usr/bin/python3 training/sentiment/export.py [--checkpoint training/.cache/sentiment-model.pt] [--out DIR]

--checkpoint is one network's checkpoint (train.py, ngram.py) or an ensemble.json (ensemble.py). Large weights are
stored as int8 (quantize.py) unless --float32; the figures and the parity check are those of the stored weights.
Writes <out>/{config.json,tokenizer.json,tokenizer_config.json,onnx/model.onnx}, the registry card (--card, default
training/sentiment/card.json: I/O, labels, preprocess, metrics) and results.json beside it. The temperature that
minimises the validation rows' log-loss is baked into the graph (calibration.py). The test rows (held-out
splits, SST-2 dev and test) are evaluated here, once, after training has chosen its checkpoint.
"""
import argparse
import json
import os
import shutil
import sys

import onnx
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import CACHE, REPO, node_parity, setup_threads  # noqa: E402
from quantize import MIN_ELEMENTS, quantize_array, quantize_file  # noqa: E402
from calibration import TemperatureScaled, expected_calibration_error, fit_temperature  # noqa: E402
from data import EVERYDAY, accuracy_of_predictions, collate, load, logits as logits_of  # noqa: E402
from model import Ensemble, from_checkpoint  # noqa: E402

# The one-network distilled model ships as a pre-release: `sentiment` still resolves to 1.2.0 (training/README.md)
VERSION = '1.3.0-rc.1'
LABELS = ['negative', 'positive']


def write_json(path, obj):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, 'w') as f:
        json.dump(obj, f, indent=2)
        f.write('\n')


def describe(arch):
    if arch.get('kind') == 'cnn+ngram':
        return (f'one network: a CNN ({arch["filters"]} filters x widths {arch["widths"]}) and an n-gram path '
                f'({arch["buckets"]} bigram buckets), logits added')
    if 'buckets' in arch:
        return f'n-gram logistic regression ({arch["buckets"]} bigram buckets)'
    if arch.get('kind') == 'cnn':
        return f'CNN ({arch["filters"]} filters x widths {arch["widths"]})'
    return f'transformer ({arch["layers"]} layers, d={arch["d"]})'


def hf_config(arch):
    members = arch.get('ensemble', [arch])
    # the BERT size fields describe the first transformer member; nothing reads them to run the ONNX graph
    arch = next((a for a in members if 'd' in a), {'vocab': 8000, 'emb': 64, 'd': 128, 'layers': 1, 'heads': 4,
                                                  'ff': 256, 'max_len': arch['max_len']})
    config = {
        'architectures': ['BertForSequenceClassification'],
        'model_type': 'bert',
        'vocab_size': arch['vocab'],
        'hidden_size': arch['d'],
        'embedding_size': arch['emb'],
        'num_hidden_layers': arch['layers'],
        'num_attention_heads': arch['heads'],
        'intermediate_size': arch['ff'],
        'hidden_act': 'gelu',
        'max_position_embeddings': arch['max_len'],
        'type_vocab_size': 1,
        'pad_token_id': 0,
        'id2label': {str(i): l for i, l in enumerate(LABELS)},
        'label2id': {l: i for i, l in enumerate(LABELS)},
        'problem_type': 'single_label_classification',
        'inpage_note': ('Not a BERT checkpoint: small networks trained from scratch, exported to one ONNX graph '
                        '(inputs input_ids, attention_mask; output logits). The BERT fields let transformers.js '
                        'load it with its BERT tokenizer and text-classification pipeline.'),
    }
    if len(members) > 1:
        config['inpage_ensemble'] = members  # for bench/flops.py; logits = log of the members' mean probabilities
    return config


def tokenizer_config(max_len):
    return {
        'tokenizer_class': 'BertTokenizer', 'do_lower_case': True, 'strip_accents': None,
        'tokenize_chinese_chars': True, 'model_max_length': max_len, 'padding_side': 'right',
        'truncation_side': 'right', 'clean_up_tokenization_spaces': True,
        'pad_token': '[PAD]', 'unk_token': '[UNK]', 'cls_token': '[CLS]', 'sep_token': '[SEP]', 'mask_token': '[MASK]',
        'model_input_names': ['input_ids', 'attention_mask'],
    }


def card(arch, metrics, max_len, int8, temperature, distilled=False):
    return {
        'inputs': [{'name': 'input_ids', 'dtype': 'int64', 'shape': ['batch', 'sequence']},
                   {'name': 'attention_mask', 'dtype': 'int64', 'shape': ['batch', 'sequence']}],
        'outputs': [{'name': 'logits', 'dtype': 'float32', 'shape': ['batch', 2]}],
        'labels': LABELS,
        'preprocess': {'kind': 'tokenizer', 'maxLength': max_len},
        'license': ('MIT (weights); training data: SST-2 (research use), UCI Sentiment Labelled Sentences (CC-BY-4.0), '
                    'Multi-Domain Sentiment and Customer Reviews (research use), Sentiment140 test (research use), '
                    'Twitter US Airline Sentiment (CC-BY-NC-SA-4.0) -- so CC-BY-NC-SA-4.0 applies to the model'),
        'metrics': metrics,
        # onnxruntime's fusions above "basic" cost this graph ~25 ms of session build on every page load (medians
        # 327-391 vs 362-445 ms over four runs) for runs 1-3 % faster (`node bench/profile.mjs levels`): a page that classifies a
        # few sentences is better off without them.
        'runtime': {'graphOptimization': 'basic'},
        'description': ('English sentiment (negative/positive): '
                        + (f'an ensemble of {len(arch["ensemble"])} networks (' + ', '.join(describe(a) for a in arch['ensemble'])
                           + '), probabilities averaged,' if 'ensemble' in arch else describe(arch) + ',')
                        + (' distilled from the 1.2.0 ensemble of five networks (its soft labels on the labelled rows '
                           'and on unlabelled texts made from them),' if distilled else '')
                        + ' trained from scratch on SST-2 phrases plus everyday product/restaurant/app/airline review '
                        f'sets; {"int8" if int8 else "float32"} weights. WordPiece tokenizer (8k, lower-case), max {max_len} tokens. Output: '
                        f'calibrated logits (temperature {temperature} applied in the graph; softmax gives the probabilities).'),
    }


def drop_node_names(onnx_path):
    """Node names are debugging labels (~20 KB for an ensemble); tensor names, which wire the graph, stay."""
    graph = onnx.load(onnx_path)
    for node in graph.graph.node:
        node.name = ''
        node.doc_string = ''
    onnx.save(graph, onnx_path)


def round_to_int8(model):
    """Replaces each large weight by its int8 value times its channel scale, in place, before export.

    Torch then holds exactly the weights that the int8 ONNX file expands to (re-quantising them is exact), so the
    held-out figures and the parity check are those of the shipped file. Rows are channels in torch: a Linear's
    output features, an Embedding's tokens, a Conv's filters (quantize.py picks the same channels in the exported
    graph); a vector (the n-gram weights) has one scale.
    """
    with torch.no_grad():
        for p in model.parameters():
            if p.numel() >= MIN_ELEMENTS:
                q, scale = quantize_array(p.numpy(), 0 if p.dim() >= 2 else None)
                p.copy_(torch.from_numpy(q.astype('float32') * scale))


def parity(model, test, onnx_path, work_dir, max_len):
    """A padded batch of real test rows (short to longest) vs torch; and padding invariance inside torch."""
    by_len = sorted(test, key=lambda r: len(r['ids']))
    pick = by_len[:6] + by_len[len(by_len) // 2:len(by_len) // 2 + 6] + by_len[-4:]
    ids, mask, _ = collate(pick, list(range(len(pick))), max_len)
    with torch.no_grad():
        ref = model(ids, mask)
        solo = torch.cat([model(ids[k:k + 1, :int(mask[k].sum())], mask[k:k + 1, :int(mask[k].sum())])
                          for k in range(len(pick))])
    pad_diff = (solo - ref).abs().max().item()
    diff = node_parity(onnx_path, {'input_ids': (ids, 'int64'), 'attention_mask': (mask, 'int64')},
                       {'logits': ref}, work_dir, tol=1e-4)
    return diff, pad_diff


def load_network(path):
    """A checkpoint, or an ensemble.json (ensemble.py) naming checkpoints: (network, arch, training meta)."""
    def load_one(p):
        ckpt = torch.load(p, map_location='cpu')
        return from_checkpoint(ckpt), ckpt['arch'], ckpt.get('meta', {})

    if not path.endswith('.json'):
        return load_one(path)
    with open(path) as f:
        spec = json.load(f)
    nets, archs, metas = zip(*[load_one(os.path.join(REPO, p)) for p in spec['members']])
    arch = {'ensemble': list(archs), 'max_len': min(a['max_len'] for a in archs)}
    members = [dict(m, checkpoint=p) for m, p in zip(metas, spec['members'])]
    return Ensemble(list(nets)).eval(), arch, {'ensemble': spec, 'members': members}


def export_checkpoint(ckpt_path, cache, out=None, smoke=False, card_path=None, int8=True):
    model, arch, meta = load_network(ckpt_path)
    max_len = arch['max_len']
    if int8:
        round_to_int8(model)
    out = out or (os.path.join(os.path.dirname(ckpt_path), 'export') if smoke
                  else os.path.join(REPO, 'public', 'models', 'sentiment', VERSION))
    card_path = card_path or (os.path.join(out, '..', 'card.json') if smoke
                              else os.path.join(REPO, 'training', 'sentiment', 'card.json'))
    rows = load(cache)
    test = [r for r in rows if r['split'] == 'test']
    val = [r for r in rows if r['split'] == 'val']
    # the temperature is fitted on validation rows, then baked into the graph: the file's logits are calibrated
    val_logits, val_labels = logits_of(model, val, max_len), torch.tensor([r['label'] for r in val])
    temperature = fit_temperature(val_logits, val_labels)
    model = TemperatureScaled(model, temperature).eval()
    # one pass over the test rows gives both the accuracies and the calibration error
    test_logits = logits_of(model, test, max_len)
    test_acc = accuracy_of_predictions(test_logits.argmax(1).tolist(), test)
    calibration = {'temperature': temperature,
                   'validation-ece-before': round(expected_calibration_error(val_logits, val_labels), 4)}
    for name, keep in (('sst2-dev', lambda r: r['source'] == 'sst2-dev'), ('everyday-pooled', lambda r: r['source'] in EVERYDAY)):
        chosen = [k for k, r in enumerate(test) if keep(r)]
        if chosen:
            calibration[f'{name}-ece'] = round(expected_calibration_error(
                test_logits[chosen], torch.tensor([test[k]['label'] for k in chosen])), 4)
    print('TEST ' + json.dumps({k: round(v, 4) for k, v in test_acc.items()}) + ' CALIBRATION ' + json.dumps(calibration),
          flush=True)

    onnx_path = os.path.join(out, 'onnx', 'model.onnx')
    os.makedirs(os.path.dirname(onnx_path), exist_ok=True)
    dummy_ids = torch.tensor([[2, 100, 200, 300, 3], [2, 150, 3, 0, 0]])
    torch.onnx.export(model, (dummy_ids, (dummy_ids != 0).long()), onnx_path,
                      input_names=['input_ids', 'attention_mask'], output_names=['logits'], opset_version=17,
                      do_constant_folding=True,
                      dynamic_axes={'input_ids': {0: 'batch', 1: 'sequence'},
                                    'attention_mask': {0: 'batch', 1: 'sequence'}, 'logits': {0: 'batch'}})
    if int8:
        quantize_file(onnx_path, onnx_path)
    drop_node_names(onnx_path)
    size = os.path.getsize(onnx_path)
    print(f'exported {onnx_path} ({size} bytes, {"int8" if int8 else "float32"} weights)', flush=True)
    shutil.copy(os.path.join(cache, 'tokenizer.json'), os.path.join(out, 'tokenizer.json'))
    write_json(os.path.join(out, 'config.json'), hf_config(arch))
    write_json(os.path.join(out, 'tokenizer_config.json'), tokenizer_config(max_len))

    diff, pad_diff = parity(model, test, onnx_path,
                            out if smoke else os.path.join(CACHE, 'sentiment-parity'), max_len)
    print(f'parity max abs diff {diff:.3g}; torch padded-vs-unpadded {pad_diff:.3g}', flush=True)

    metrics = {'sst2-dev-accuracy': test_acc.get('sst2-dev'), 'sst2-test-accuracy': test_acc.get('sst2-test'),
               'everyday-pooled-accuracy': test_acc.get('everyday-pooled')}
    metrics.update({f'{s}-test-accuracy': test_acc[s] for s in EVERYDAY if s in test_acc})
    metrics.update({f'{k}': v for k, v in calibration.items() if k.endswith('-ece') and 'before' not in k})
    metrics = {k: round(v, 4) for k, v in metrics.items() if v is not None}
    write_json(card_path, card(arch, metrics, max_len, int8, temperature, bool((meta.get('args') or {}).get('soft_labels'))))
    summary = {'test': test_acc, 'calibration': calibration, 'arch': arch, 'params': sum(p.numel() for p in model.parameters()),
               'onnx_bytes': size, 'weights': 'int8' if int8 else 'float32', 'parity_max_abs_diff': diff,
               'torch_padding_max_abs_diff': pad_diff, 'training': {k: v for k, v in meta.items() if k != 'args'},
               'training_args': meta.get('args'), 'smoke': smoke}
    print('SUMMARY ' + json.dumps(summary), flush=True)
    if not smoke:
        write_json(os.path.join(os.path.dirname(os.path.abspath(card_path)), 'results.json'), summary)
    return summary


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--checkpoint', default=os.path.join(CACHE, 'sentiment-model.pt'),
                    help='a checkpoint, or an ensemble.json written by ensemble.py')
    ap.add_argument('--cache', default=os.path.join(CACHE, 'sentiment'))
    ap.add_argument('--out', default=None, help=f'default public/models/sentiment/{VERSION}')
    ap.add_argument('--card', default=None, help='registry card path (default training/sentiment/card.json); '
                    'results.json is written beside it')
    ap.add_argument('--float32', action='store_true', help='keep float32 weights (default: int8 storage, quantize.py)')
    ap.add_argument('--smoke', action='store_true', help='CI: write the card and parity files next to --out')
    args = ap.parse_args()
    setup_threads(2)
    export_checkpoint(args.checkpoint, args.cache, args.out, smoke=args.smoke, card_path=args.card, int8=not args.float32)


if __name__ == '__main__':
    main()
