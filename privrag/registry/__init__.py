"""A tenant's fine-tuned models: ``artifacts`` (layout on disk, signatures, sealed weights,
cards), ``writer`` (register a new version), ``serving`` (the serving rule, the embedder cache,
activation, rollback and fallback as resumable re-embedding jobs)."""

from privrag.registry.artifacts import CARD, WEIGHTS, describe_card
from privrag.registry.serving import ModelRegistry, Switch
from privrag.registry.writer import Registered, register

__all__ = ["CARD", "WEIGHTS", "ModelRegistry", "Registered", "Switch", "describe_card", "register"]
