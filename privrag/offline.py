"""No network at run time: switch every library that might download into offline mode.

Called before any Hugging Face or tokenizer import; values already set by the operator win.
"""

from __future__ import annotations

import os

_OFFLINE = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TOKENIZERS_PARALLELISM": "false",
}


def force_offline() -> None:
    for name, value in _OFFLINE.items():
        os.environ.setdefault(name, value)
