"""The sentiment network: a small pre-LN transformer encoder written by hand so that it exports to plain ONNX."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

MAX_LEN = 512  # positions; like BERT. A third of the multi-domain reviews are longer than 256 tokens.


class Layer(nn.Module):
    """Pre-LN transformer encoder layer with an explicit additive key mask (exports cleanly to ONNX)."""

    def __init__(self, d, heads, ff, dropout):
        super().__init__()
        self.h = heads
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.ff1 = nn.Linear(d, ff)
        self.ff2 = nn.Linear(ff, d)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, key_bias):
        b, n, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).reshape(b, n, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        att = (q @ k.transpose(-1, -2)) * (1.0 / math.sqrt(d // self.h)) + key_bias  # [b,h,n,n]
        att = self.drop(att.softmax(-1))
        y = (att @ v).transpose(1, 2).reshape(b, n, d)
        x = x + self.drop(self.proj(y))
        return x + self.drop(self.ff2(self.drop(F.gelu(self.ff1(self.ln2(x))))))


class SentimentNet(nn.Module):
    """Factorised token embedding + learned positions, pre-LN encoder, masked mean+max pooling, 2 logits."""

    def __init__(self, vocab=8000, emb=64, d=128, layers=1, heads=4, ff=256, max_len=MAX_LEN, dropout=0.1):
        super().__init__()
        self.tok = nn.Embedding(vocab, emb, padding_idx=0)
        self.emb_proj = nn.Linear(emb, d)
        self.pos = nn.Embedding(max_len, d)
        self.emb_drop = nn.Dropout(dropout)
        self.layers = nn.ModuleList([Layer(d, heads, ff, dropout) for _ in range(layers)])
        self.ln = nn.LayerNorm(d)
        self.head_drop = nn.Dropout(0.2)
        self.head = nn.Linear(2 * d, 2)
        nn.init.normal_(self.pos.weight, std=0.02)  # small positions: word identity dominates at the start

    def encode(self, input_ids, attention_mask):
        """Token states after the final LayerNorm, and the float mask."""
        n = input_ids.shape[1]
        pos = torch.arange(n, device=input_ids.device).unsqueeze(0)
        x = self.emb_drop(self.emb_proj(self.tok(input_ids)) + self.pos(pos))
        m = attention_mask.to(x.dtype)  # [b,n] 1 = token, 0 = padding
        key_bias = ((1.0 - m) * -10000.0)[:, None, None, :]
        for layer in self.layers:
            x = layer(x, key_bias)
        return self.ln(x), m

    def forward(self, input_ids, attention_mask):
        x, m = self.encode(input_ids, attention_mask)
        mm = m.unsqueeze(-1)
        mean = (x * mm).sum(1) / mm.sum(1).clamp(min=1.0)
        mx = (x + (1.0 - mm) * -10000.0).max(1).values
        return self.head(self.head_drop(torch.cat([mean, mx], -1)))


class MaskedLmHead(nn.Module):
    """Pre-training only (never exported): predicts masked tokens through the tied, factorised input embedding."""

    def __init__(self, net: SentimentNet):
        super().__init__()
        d, emb = net.emb_proj.out_features, net.emb_proj.in_features
        self.net = net
        self.transform = nn.Sequential(nn.Linear(d, d), nn.GELU(), nn.LayerNorm(d), nn.Linear(d, emb))
        self.bias = nn.Parameter(torch.zeros(net.tok.num_embeddings))

    def forward(self, input_ids, attention_mask, positions):
        x, _ = self.net.encode(input_ids, attention_mask)
        h = self.transform(x[positions])  # only the masked positions: [k, emb]
        # the embedding rows are ~N(0, 1): scale so that the first logits are ~N(0, 1) too
        return (h @ self.net.tok.weight.t()) * self.net.tok.embedding_dim ** -0.5 + self.bias


class NgramNet(nn.Module):
    """Logistic regression on the token ids and hashed token bigrams (ngram.py trains it).

    One weight per feature (the positive-minus-negative score), summed over the text; logits are [0, score]. The
    bigram hash is plain integer arithmetic on input_ids, so the ONNX graph needs no tokenizer changes.
    """

    def __init__(self, vocab=8000, buckets=1 << 18, max_len=MAX_LEN):
        super().__init__()
        self.vocab, self.buckets, self.max_len = vocab, buckets, max_len
        self.weight = nn.Parameter(torch.zeros(vocab + buckets))
        self.bias = nn.Parameter(torch.zeros(()))

    def bigram_bucket(self, first, second):
        return (first * self.vocab + second) % self.buckets

    def forward(self, input_ids, attention_mask):
        m = attention_mask.to(self.weight.dtype)
        unigrams = (self.weight[input_ids] * m).sum(1)
        pairs = self.vocab + self.bigram_bucket(input_ids[:, :-1], input_ids[:, 1:])
        bigrams = (self.weight[pairs] * (m[:, :-1] * m[:, 1:])).sum(1)
        score = unigrams + bigrams + self.bias
        return torch.stack([torch.zeros_like(score), score], 1)


class CnnNet(nn.Module):
    """Convolutions over token embeddings (Kim, 2014) with masked max+mean pooling: word-order features of 1-3
    tokens, learned end to end. Each output position sees only itself and the tokens before it, so right padding
    never changes a real position's features."""

    def __init__(self, vocab=8000, emb=96, filters=128, widths=(1, 2, 3), max_len=MAX_LEN, dropout=0.5, kind='cnn'):
        super().__init__()
        self.tok = nn.Embedding(vocab, emb, padding_idx=0)
        self.convs = nn.ModuleList([nn.Conv1d(emb, filters, w, padding=w - 1) for w in widths])
        self.drop = nn.Dropout(dropout)
        self.head = nn.Linear(2 * filters * len(widths), 2)

    def forward(self, input_ids, attention_mask):
        n = input_ids.shape[1]
        m = attention_mask.to(self.tok.weight.dtype).unsqueeze(1)  # [b,1,n]
        x = self.tok(input_ids).transpose(1, 2)  # [b,emb,n]
        feats = [F.relu(conv(x)[:, :, :n]) for conv in self.convs]  # [b,filters,n] each
        h = torch.cat(feats, 1)
        mx = (h + (1.0 - m) * -10000.0).max(2).values
        mean = (h * m).sum(2) / m.sum(2).clamp(min=1.0)
        return self.head(self.drop(torch.cat([mx, mean], 1)))


class CnnGramNet(nn.Module):
    """One network with two paths over the same tokens, trained together (wide & deep, Cheng et al. 2016): the CNN
    above, and an n-gram path (NgramNet: a weight per token and per hashed bigram) whose score is added to the
    CNN's positive logit. The bigram path remembers word pairs by identity, which a CNN squeezes through its
    filters; in 1.2.0's ensemble that was the member that added most. Padding-invariant like both paths."""

    def __init__(self, vocab=8000, emb=96, filters=160, widths=(1, 2, 3, 4, 5), buckets=1 << 17, max_len=MAX_LEN,
                 dropout=0.5, kind='cnn+ngram'):
        super().__init__()
        self.cnn = CnnNet(vocab, emb, filters, widths, max_len, dropout)
        self.ngram = NgramNet(vocab, buckets, max_len)

    def forward(self, input_ids, attention_mask):
        return self.cnn(input_ids, attention_mask) + self.ngram(input_ids, attention_mask)


class Ensemble(nn.Module):
    """Averages its members' class probabilities; returns their log as `logits` (softmax gives the average back)."""

    def __init__(self, members):
        super().__init__()
        self.members = nn.ModuleList(members)

    def forward(self, input_ids, attention_mask):
        probs = torch.stack([m(input_ids, attention_mask).softmax(-1) for m in self.members]).mean(0)
        return probs.clamp(min=1e-30).log()  # finite even when every member is certain


def from_checkpoint(ckpt: dict, device='cpu') -> nn.Module:
    """The trained network a checkpoint dict (`arch`, `state`) holds, in eval mode."""
    net = build(ckpt['arch'])
    net.load_state_dict(ckpt['state'])
    return net.to(device).eval()


def build(arch: dict) -> nn.Module:
    """A network from a checkpoint's `arch` (an n-gram member's has `buckets`, a CNN's `kind: 'cnn'`, the two in one
    network `kind: 'cnn+ngram'`)."""
    kind = arch.get('kind')
    if kind == 'cnn+ngram':
        return CnnGramNet(**arch)
    if 'buckets' in arch:
        return NgramNet(**arch)
    return CnnNet(**arch) if kind == 'cnn' else SentimentNet(**arch)
