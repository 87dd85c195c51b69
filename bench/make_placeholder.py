"""Stand-in `sentiment` model for developing the benchmark before the trained one lands.

Same architecture as training/sentiment/train.py (SentimentNet, default sizes) with seeded random weights, exported
the same way (opset 17, dynamic batch/sequence), plus the same config/tokenizer files. The timings it gives match the
trained model's (same graph, same shapes); its answers are meaningless. bench/run.mjs uses it only when
public/models/registry.json has no `sentiment` entry, and says so in the table and results.json.

Usage: /usr/bin/python3 bench/make_placeholder.py <out-folder> <tokenizer.json>
"""
import json
import os
import shutil
import sys

import torch

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
sys.path.insert(0, os.path.join(REPO, 'training', 'sentiment'))
sys.path.insert(0, os.path.join(REPO, 'training'))
from train import MAX_LEN, SentimentNet  # noqa: E402

out, tokenizer = sys.argv[1], sys.argv[2]
os.makedirs(os.path.join(out, 'onnx'), exist_ok=True)
torch.manual_seed(0)
model = SentimentNet().eval()
ids = torch.tensor([[2, 100, 200, 300, 3], [2, 150, 3, 0, 0]])
torch.onnx.export(model, (ids, (ids != 0).long()), os.path.join(out, 'onnx', 'model.onnx'),
                  input_names=['input_ids', 'attention_mask'], output_names=['logits'], opset_version=17,
                  do_constant_folding=True,
                  dynamic_axes={'input_ids': {0: 'batch', 1: 'sequence'}, 'attention_mask': {0: 'batch', 1: 'sequence'},
                                'logits': {0: 'batch'}})
shutil.copy(tokenizer, os.path.join(out, 'tokenizer.json'))
cfg = {'architectures': ['BertForSequenceClassification'], 'model_type': 'bert', 'vocab_size': 8000,
       'hidden_size': 160, 'embedding_size': 64, 'num_hidden_layers': 3, 'num_attention_heads': 4,
       'intermediate_size': 320, 'hidden_act': 'gelu', 'max_position_embeddings': MAX_LEN, 'type_vocab_size': 1,
       'pad_token_id': 0, 'id2label': {'0': 'negative', '1': 'positive'}, 'label2id': {'negative': 0, 'positive': 1}}
json.dump(cfg, open(os.path.join(out, 'config.json'), 'w'), indent=2)
tcfg = {'tokenizer_class': 'BertTokenizer', 'do_lower_case': True, 'strip_accents': None, 'tokenize_chinese_chars': True,
        'model_max_length': MAX_LEN, 'padding_side': 'right', 'truncation_side': 'right',
        'clean_up_tokenization_spaces': True, 'pad_token': '[PAD]', 'unk_token': '[UNK]', 'cls_token': '[CLS]',
        'sep_token': '[SEP]', 'mask_token': '[MASK]', 'model_input_names': ['input_ids', 'attention_mask']}
json.dump(tcfg, open(os.path.join(out, 'tokenizer_config.json'), 'w'), indent=2)
card = {'inputs': [{'name': 'input_ids', 'dtype': 'int64', 'shape': ['batch', 'sequence']},
                   {'name': 'attention_mask', 'dtype': 'int64', 'shape': ['batch', 'sequence']}],
        'outputs': [{'name': 'logits', 'dtype': 'float32', 'shape': ['batch', 2]}],
        'labels': ['negative', 'positive'], 'preprocess': {'kind': 'tokenizer', 'maxLength': MAX_LEN},
        'license': 'MIT', 'metrics': {}, 'description': 'Benchmark placeholder: random weights, trained architecture.'}
json.dump(card, open(os.path.join(out, '..', '..', 'sentiment.card.json'), 'w'), indent=2)
print('placeholder written to', out)
