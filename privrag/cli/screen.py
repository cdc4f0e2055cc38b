"""``privrag screen``: the ingest-time injection screening, on JSONL from stdin."""

from __future__ import annotations

import json
import sys

from privrag.cli._common import errors
from privrag.errors import InvalidInput


def screen() -> None:
    """Screen texts for indirect prompt injection: JSONL {"text"} on stdin, one
    {"injection", "score", "reasons"} line per record on stdout, in the same order.

    The whole input is read and checked first: a line that is not a JSON object with a "text"
    string stops the command with its line number and exit code 2, and nothing is written.
    Blank lines are skipped.

    Example: privrag screen < chunks.jsonl > verdicts.jsonl
    """
    from privrag.screening import screen as judge

    with errors():
        texts = []
        for number, line in enumerate(sys.stdin, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InvalidInput(f"line {number}: not valid JSON") from exc
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise InvalidInput(f'line {number}: expected an object with a "text" string')
            texts.append(record["text"])
        for text in texts:
            sys.stdout.write(json.dumps(judge(text).to_dict()) + "\n")
