"""The per-example training objective: inverse cloze against a fixed public negative bank.

One dataset item is one document, packed as a single token sequence ``[CLS] span [SEP] | [CLS]
rest [SEP]``: a span of the document (the query) and the rest of it (the context) sit side by side
with a block-diagonal attention mask and positions restarting at the context, so one encoder pass
computes exactly the two separate embeddings (a test holds this against sentence-transformers).
One pass matters: Opacus' ghost clipping records one norm per use of a layer, so a layer called
twice per example (query pass, then context pass) would be clipped on the wrong norm.

The loss of example i is ``CE([s(q_i, c_i), s(q_i, n_1..K)] / tau, 0)``. The negatives ``n_k``
are public, generated text embedded once under ``no_grad`` and held as a buffer, so the loss
depends on example i and nothing private besides it. We deliberately use no in-batch negatives:
with them example j's context appears in example i's loss, removing one example changes every
other example's loss term, and the clipped gradient sum moves by up to 2·C instead of C
(``tests/training/test_sensitivity.py`` shows both), which silently breaks DP-SGD's guarantee.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F


class InverseClozeScorer(nn.Module):
    """Scores each packed (query | context) item against its own context and the public bank.

    ``forward(input_ids, real)`` takes ``[B, Lq + Lc]`` token ids and a 0/1 mask of real tokens
    and returns logits ``[B, 1 + K]``; the positive is column 0.
    """

    def __init__(
        self, encoder: nn.Module, bank: torch.Tensor, *, query_len: int, temperature: float
    ) -> None:
        super().__init__()
        self.encoder = encoder
        self.bank: torch.Tensor
        self.register_buffer("bank", F.normalize(bank.detach().float(), dim=-1))
        self.query_len = query_len
        self.temperature = temperature

    def embed_pair(
        self, input_ids: torch.Tensor, real: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        batch, length = input_ids.shape
        lq = self.query_len
        segment = torch.zeros(length, dtype=torch.long, device=input_ids.device)
        segment[lq:] = 1
        positions = torch.cat([torch.arange(lq), torch.arange(length - lq)]).to(input_ids.device)
        same = segment[:, None] == segment[None, :]
        allowed = same[None, :, :] & real[:, None, :].bool()
        dtype = next(self.encoder.parameters()).dtype
        mask = torch.zeros(allowed.shape, dtype=dtype, device=input_ids.device)
        mask = mask.masked_fill(~allowed, torch.finfo(dtype).min)[:, None, :, :]
        hidden = self.encoder(
            input_ids=input_ids,
            attention_mask=mask,
            position_ids=positions.expand(batch, -1),
            token_type_ids=torch.zeros_like(input_ids),
        ).last_hidden_state
        weights = real.to(hidden.dtype)
        q = _mean(hidden[:, :lq], weights[:, :lq])
        c = _mean(hidden[:, lq:], weights[:, lq:])
        return F.normalize(q, dim=-1), F.normalize(c, dim=-1)

    def forward(self, input_ids: torch.Tensor, real: torch.Tensor) -> torch.Tensor:
        q, c = self.embed_pair(input_ids, real)
        positive = (q * c).sum(dim=-1, keepdim=True)
        negatives = q @ self.bank.T
        return torch.cat([positive, negatives], dim=-1) / self.temperature


def _mean(hidden: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
    summed = (hidden * weights[..., None]).sum(dim=1)
    return summed / weights.sum(dim=1, keepdim=True).clamp(min=1e-9)


def per_example_loss(logits: torch.Tensor) -> torch.Tensor:
    """Cross-entropy with the positive in column 0, one value per example."""
    target = torch.zeros(logits.shape[0], dtype=torch.long, device=logits.device)
    return F.cross_entropy(logits, target, reduction="none")


def in_batch_negatives_logits(
    scorer: InverseClozeScorer, input_ids: torch.Tensor, real: torch.Tensor
) -> torch.Tensor:
    """The broken objective, kept only so a test can show it exceeds the sensitivity bound:
    every other example's context in the batch serves as a negative (diagonal is positive)."""
    q, c = scorer.embed_pair(input_ids, real)
    return (q @ c.T) / scorer.temperature
