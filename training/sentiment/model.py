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


def build(arch: dict) -> SentimentNet:
    return SentimentNet(**arch)
