"""Recognizers for secrets: cloud and provider API keys, tokens, private keys, passwords.

Provider keys are matched by their documented prefixes and lengths, so they fire without context;
passwords and generic tokens are matched as the value after a credential keyword in any common
language (``password=``, ``"api_key": "..."``, ``the token c1n8ns8ihbfxdk``, ``password
Xlwvd507#myC``) when the value is random enough (character classes and entropy), and long
mixed-case alphanumeric tokens with high entropy count as secrets wherever they stand.
Values that are references rather than secrets (``${VAR}``, ``<SECRET>``, ``****``) are skipped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from itertools import pairwise

from privrag.pii.detectors import Candidate, RegexDetector

KEYWORD_SECRET_SCORE = 0.85

_LABELS = (
    r"password|passwd|passphrase|pwd|pass|pw|secret|client[_-]?secret|secret[_-]?key"
    r"|api[_-]?key|apikey|api[_-]?token|access[_-]?key(?:[_-]?id)?|secret[_-]?access[_-]?key"
    r"|auth[_-]?token|access[_-]?token|refresh[_-]?token|session[_-]?token|bearer[_-]?token"
    r"|private[_-]?key|signing[_-]?key|encryption[_-]?key|token|credentials?|kennwort|passwort"
    r"|mot\s+de\s+passe|contraseña|contrasena|wachtwoord|salasana|lösenord|haslo|hasło"
    r"|(?:db|database|mysql|postgres|redis|smtp|ldap|admin|root|user)[_-]?(?:password|pass|pwd)"
    r"|[a-z0-9]+_(?:password|secret|token|api_key|apikey|key)"
)
# Substrings that every match of the labelled and prose patterns contains once lower-cased, so the
# patterns (slow: a long case-insensitive alternation tried at every word) run only on texts that
# hold one. Under re.IGNORECASE three characters match a letter they do not lower-case to (İ and
# ı match i, ſ matches s): a text holding one of them always runs the pattern, so the filter never
# changes what is found (tests/pii/test_prefilters.py checks both ways).
_CASEFOLD_ODDITIES = ("ı", "ſ", "i\u0307")
_LABEL_PREFILTER = (
    *("pass", "pw", "secret", "key", "token", "credential", "kennwort", "contrase"),
    *("wachtwoord", "salasana", "lösenord", "haslo", "hasło"),
    *_CASEFOLD_ODDITIES,
)
_PROSE_PREFILTER = ("pass", "pwd", "pin", "contrase", *_CASEFOLD_ODDITIES)
_REFERENCE = re.compile(
    r"^(?:\$\{?|\{\{|<|%\(|\*{3,}|x{6,}$|\.\.\.|null$|none$|true$|false$)", re.I
)


def not_reference(value: str) -> bool:
    return not _REFERENCE.match(value) and not value.lower().startswith("env:")


def _prose_password_ok(value: str) -> bool:
    # In prose ("password is hunter2") insist on a character a plain word would not have.
    # A generated password may be letters only, but then its case flips like no word's does.
    flips = sum(1 for a, b in pairwise(value) if a.islower() and b.isupper())
    return not_reference(value) and (any(not ch.isalpha() for ch in value) or flips >= 2)


def build_secret_recognizers() -> tuple[RegexDetector, ...]:
    def key(
        name: str, pattern: str, score: float = 0.95, prefilter: tuple[str, ...] = ()
    ) -> RegexDetector:
        return RegexDetector(name, "SECRET", re.compile(pattern), score, prefilter=prefilter)

    return (
        key("aws-access-key-id", r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b"),
        key("github-token", r"\b(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{22,255})"),
        key("gitlab-token", r"\bgl(?:pat|dt|rt|ptt|cbt)-[A-Za-z0-9_-]{20,}"),
        key("slack-token", r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
        key("slack-webhook", r"https://hooks\.slack\.com/services/[A-Za-z0-9/_-]{20,}"),
        key("stripe-key", r"\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}"),
        key("google-api-key", r"\bAIza[0-9A-Za-z_-]{35}"),
        key("google-oauth", r"\bya29\.[0-9A-Za-z_-]{20,}"),
        key("openai-anthropic-key", r"\bsk-(?:ant-|proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}"),
        key("sendgrid-key", r"\bSG\.[\w-]{16,32}\.[\w-]{16,64}"),
        key("twilio-key", r"\b(?:SK|AC)[0-9a-f]{32}\b"),
        key("npm-token", r"\bnpm_[A-Za-z0-9]{36}\b"),
        key("pypi-token", r"\bpypi-[A-Za-z0-9_-]{50,}", prefilter=("pypi-",)),
        key("huggingface-token", r"\bhf_[A-Za-z0-9]{30,}\b", prefilter=("hf_",)),
        key("shopify-token", r"\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b"),
        key("mailgun-key", r"\bkey-[0-9a-f]{32}\b"),
        key(
            "azure-storage-key",
            r"(?<=AccountKey=)[A-Za-z0-9+/=]{40,}",
            prefilter=("accountkey=",),
        ),
        key("azure-sas-signature", r"(?<=[?&]sig=)[A-Za-z0-9%+/=]{30,}", prefilter=("sig=",)),
        key(
            "jwt",
            r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*",
        ),
        key(
            "private-key-block",
            r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]{0,8000}?"
            r"(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|$)",
            0.99,
        ),
        RegexDetector(
            "bearer-token",
            "SECRET",
            re.compile(r"(?i:\b(?:bearer|token|basic|apikey)\s+)([A-Za-z0-9\-._~+/]{16,}=*)"),
            0.9,
            validator=not_reference,
            group=1,
        ),
        RegexDetector(
            "url-credentials",
            "SECRET",
            re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]{1,20}://[^\s:/@<>]{1,64}:([^\s@/<>]{1,128})@"),
            0.95,
            validator=not_reference,
            group=1,
        ),
        RegexDetector(
            "aws-secret-access-key",
            "SECRET",
            re.compile(r"(?<![A-Za-z0-9/+=])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])"),
            0.3,
            context=("aws", "secret", "secret_access_key", "aws_secret_access_key"),
            needs_context=True,
            prefilter=("aws", "secret"),
        ),
        RegexDetector(
            "labelled-secret",
            "SECRET",
            re.compile(
                rf"(?i:\b(?:{_LABELS}))[\"']?\s*(?:[:=]|=>|:=)\s*[\"']?([^\s\"',;<>]{{4,256}})"
            ),
            0.9,
            validator=not_reference,
            group=1,
            prefilter=_LABEL_PREFILTER,
        ),
        RegexDetector(
            "prose-password",
            "SECRET",
            re.compile(
                r"(?i:\b(?:password|passwort|pwd|passcode|pin|mot de passe|contraseña)"
                r"\s+(?:is|was|ist|est|es|=|to|:)\s*:?\s*)[\"'`]?([^\s\"'`]{4,128}?)[\"'`]?"
                r"(?=[\s,;]|[.!?](?:\s|$)|$)"
            ),
            0.85,
            validator=_prose_password_ok,
            group=1,
            prefilter=_PROSE_PREFILTER,
        ),
    )


_SECRET_KEYWORD = re.compile(
    r"(?i:\b(?:password|passwort|passwd|passcode|passphrase|pwd|pw|pin|secret|token|api[ _-]?key"
    r"|access[ _-]?key|private[ _-]?key|credentials?|auth|bearer|kennwort|mot\s+de\s+passe"
    r"|contraseña|senha|salasana|lösenord|passord|adgangskode|wachtwoord|hasło|heslo|jelszó"
    r"|şifre|parola)\b)"
)
# After the keyword: up to three short filler words ("is", "for prod", "was set to"), then the value.
_AFTER_KEYWORD = re.compile(
    r"(?:[ \t]*[:=]|[ \t]+(?:(?:is|was|for|the|new|old|to|set|reset|of|now|still|remains|=|:"
    r"|ist|est|es|är|er|on|je|jest|van|é)[ \t]+){0,3})[ \t]*[\"'`]?([^\s\"'`,;]{6,128})"
)
# A long token that is random enough to be a credential wherever it stands.
_LONG_TOKEN = re.compile(r"(?<![\w/+=.-])[A-Za-z0-9_\-+/]{24,200}={0,2}(?![\w/+=.-])")


def _entropy(value: str) -> float:
    counts: dict[str, int] = {}
    for ch in value:
        counts[ch] = counts.get(ch, 0) + 1
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def _classes(value: str) -> int:
    return sum(
        (
            any(ch.islower() for ch in value),
            any(ch.isupper() for ch in value),
            any(ch.isdigit() for ch in value),
            any(not ch.isalnum() for ch in value),
        )
    )


def secret_like(value: str) -> bool:
    """A value after a credential keyword that is no plain word, number, path or version."""
    if not not_reference(value) or value.startswith(("http", "/", "<")):
        return False
    if value.isdigit():
        return 4 <= len(value) <= 12  # a PIN or numeric code right after its keyword
    if re.fullmatch(r"v?\d+(?:\.\d+)+", value):
        return False
    if value.isalpha():
        return _prose_password_ok(value)
    return _classes(value) >= 2 and _entropy(value) >= 2.5


def _random_token(value: str) -> bool:
    # Upper, lower and digits mixed with high entropy: base64/base62 keys, not hex digests,
    # UUIDs, words joined by underscores or paths.
    letters = sum(ch.isalpha() for ch in value)
    return (
        _classes(value) >= 3
        and any(ch.isupper() for ch in value)
        and any(ch.isdigit() for ch in value)
        and letters >= len(value) / 2
        and _entropy(value) >= 4.0
        and not re.fullmatch(r"[A-Za-z]+(?:[_-][A-Za-z]+)+", value)
    )


def find_keyword_secrets(text: str) -> Iterator[Candidate]:
    for keyword in _SECRET_KEYWORD.finditer(text):
        value = _AFTER_KEYWORD.match(text, keyword.end())
        if value is not None and secret_like(value.group(1)):
            yield Candidate("SECRET", *value.span(1), KEYWORD_SECRET_SCORE, "keyword-secret")
    for token in _LONG_TOKEN.finditer(text):
        if _random_token(token.group()):
            yield Candidate("SECRET", *token.span(), 0.75, "entropy-secret")
