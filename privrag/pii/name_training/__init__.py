"""How the shipped name model (``privrag/pii/data/name_model``) is made: ``corpus`` writes the
synthetic lines, ``train`` fine-tunes the base spaCy NER on them. A developer tool (it needs the
dev extras, for Faker); nothing at run time imports it."""

from __future__ import annotations

import os
import sys


def pin_hash_seed(module: str) -> None:
    """Run ``python -m module`` again, same arguments, with ``PYTHONHASHSEED=0`` unless it is
    already set so. Faker draws some values from sets (its it_IT city names), whose order follows
    Python's string hashing: without a fixed seed its text differs from run to run."""
    if os.environ.get("PYTHONHASHSEED") != "0":
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        argv = [sys.executable, "-m", module, *sys.argv[1:]]
        os.execve(sys.executable, argv, env)  # noqa: S606 (this interpreter, a module of ours)
