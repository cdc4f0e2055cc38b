"""The fixed bank of negatives: generic text we generate here, embedded once under ``no_grad``.

Nothing in the bank comes from any tenant, so scoring a private query against it adds no other
private example to that query's loss (see ``training.objective``). The texts are built from
templates and public-domain vocabulary with a fixed seed; ``bank_digest`` names the exact bank
in the model card.
"""

from __future__ import annotations

import hashlib
import random
from typing import Any

import torch

_TOPICS = (
    "the weather",
    "a mountain trail",
    "bread baking",
    "a chess opening",
    "river fishing",
    "the solar system",
    "garden tomatoes",
    "a jazz record",
    "bicycle repair",
    "ocean tides",
    "city buses",
    "a football match",
    "winter clothing",
    "house plants",
    "paper airplanes",
    "the history of clocks",
    "a train timetable",
    "volcanoes",
    "coffee brewing",
    "bird songs",
    "painting with watercolours",
    "a village library",
    "desert animals",
    "kite flying",
    "the Roman alphabet",
    "snow storms",
    "a pottery class",
    "forest mushrooms",
    "a school play",
    "the moon's phases",
    "sailing knots",
    "apple orchards",
    "a marathon",
    "old maps",
    "rainbows",
    "honey bees",
    "a puppet show",
    "glass making",
    "the postal service",
    "tea ceremonies",
    "camping stoves",
    "a folk dance",
    "wind turbines",
    "a museum of shells",
)
_TEMPLATES = (
    "A short note about {a}, written for a general audience.",
    "Many people enjoy learning about {a} and {b} on weekends.",
    "This paragraph describes {a} in simple words and compares it with {b}.",
    "Questions often asked about {a}: how it started, and why it matters today.",
    "An introduction to {a}, followed by a few remarks on {b}.",
    "{A} has changed a great deal over the last hundred years.",
    "Children's books sometimes explain {a} with pictures of {b}.",
    "A travel guide mentions {a} as something worth seeing in spring.",
    "The magazine article on {a} was longer than the one on {b}.",
    "Some facts about {a} that most encyclopaedias agree on.",
    "Notes from a public lecture on {a}, with a digression about {b}.",
    "A beginner's checklist for {a}.",
)


def bank_texts(count: int, *, seed: int = 1234) -> list[str]:
    """``count`` distinct generated sentences; the same arguments give the same list."""
    rng = random.Random(seed)
    texts: list[str] = []
    seen: set[str] = set()
    while len(texts) < count:
        a, b = rng.sample(_TOPICS, 2)
        text = rng.choice(_TEMPLATES).format(a=a, b=b, A=a[0].upper() + a[1:])
        if text not in seen or len(seen) >= len(_TOPICS) * len(_TEMPLATES):
            seen.add(text)
            texts.append(text)
    return texts


def bank_digest(texts: list[str]) -> str:
    return hashlib.sha256("\n".join(texts).encode()).hexdigest()


def embed_bank(model: Any, texts: list[str]) -> torch.Tensor:
    """Embed with the frozen base model under ``no_grad``: the bank carries no gradient and no
    private signal, and does not move while the encoder trains."""
    encode = model.encode  # a sentence-transformers SentenceTransformer
    with torch.no_grad():
        vectors = encode(
            texts, convert_to_tensor=True, normalize_embeddings=True, show_progress_bar=False
        )
    return vectors.detach().cpu().float()
