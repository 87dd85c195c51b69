"""Confidence calibration shared by both trainers: temperature scaling (Guo et al. 2017) and the expected calibration
error. The temperature is fitted on validation rows only and baked into the exported graph (logits / T), so every
runtime (the SDK, transformers.js, onnxruntime) reads calibrated probabilities from the same file.
"""
import torch
import torch.nn as nn

ECE_BINS = 15


def expected_calibration_error(logits: torch.Tensor, labels: torch.Tensor, bins: int = ECE_BINS) -> float:
    """Equal-width bins over the top-class probability: sum over bins of |accuracy - mean confidence| x share of rows."""
    probs = logits.float().softmax(-1)
    confidence, predicted = probs.max(-1)
    correct = (predicted == labels).float()
    edges = torch.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        inside = (confidence > lo) & (confidence <= hi)
        if inside.any():
            total += inside.float().mean().item() * abs(correct[inside].mean().item() - confidence[inside].mean().item())
    return total


def fit_temperature(logits: torch.Tensor, labels: torch.Tensor) -> float:
    """The T > 0 that minimises the negative log-likelihood of softmax(logits / T): a coarse grid, then a finer one
    (deterministic; the NLL is convex in 1/T, so the grid finds its minimum)."""
    logits = logits.float()

    def nll(t):
        return nn.functional.cross_entropy(logits / t, labels).item()

    best = min((0.05 * k for k in range(2, 101)), key=nll)
    return round(min((best + 0.001 * k for k in range(-50, 51) if best + 0.001 * k > 0), key=nll), 3)


class TemperatureScaled(nn.Module):
    """net(x) / T: the exported graph's logits are the calibrated ones."""

    def __init__(self, net: nn.Module, temperature: float):
        super().__init__()
        self.net, self.temperature = net, float(temperature)

    def forward(self, *inputs):
        return self.net(*inputs) / self.temperature
