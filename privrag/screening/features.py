"""Features of a text that an instruction to a machine reader has and business prose lacks:
who is addressed (a model, an assistant), what is asked (set instructions aside, take another
identity, reveal prompts, keys or other documents, call a tool, keep the user in the dark), role
and system markers, and link or image URLs built to carry data out. Each feature is a concept
found near another within one sentence-sized window, in any of the ``lexicon`` languages, and
has a weight; ``screen`` sums them. Pure regex over lower-cased NFKC text: no model, no I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass

from privrag.screening import lexicon as lx
from privrag.screening.gate import Gate, Text

# Patterns run on lower-cased text: IGNORECASE makes these alternations ~10x slower.
_F = re.MULTILINE


def _near(a: str, b: str, words: int) -> re.Pattern[str]:
    """``a`` followed by ``b`` with at most ``words`` words between, inside one sentence."""
    return re.compile(
        rf"(?<!\w)(?:{a})(?!\w)(?:[^.!?\n\w]+[\w'’-]+){{0,{words}}}?[^.!?\n\w]+(?:{b})(?!\w)", _F
    )


def _word(alternation: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", _F)


_ADDRESSED = [
    # "Note to the AI:", "Dear assistant,", "Hinweis an die KI"
    _near(lx.VOCATIVE, rf"{lx.AI}|(?:the |any |an? )?{lx.ASSISTANT}s?", 2),
    # "AI:", "Assistant, ..." at the start of a sentence or line
    re.compile(
        rf"(?:^|[.!?]\s+|\n)\s*(?:hey |hi |dear )?(?:{lx.AI}|{lx.ASSISTANT})"
        rf"(?:[ -](?:{lx.AI}|{lx.ASSISTANT}))?\s*[:,]",
        _F,
    ),
    # "if you are an AI", "any language model processing this", "the assistant must"
    re.compile(rf"if you are (?:an?|the) (?:\w+ )?(?:{lx.AI}|{lx.ASSISTANT})", _F),
    _near(
        rf"{lx.AI}|{lx.ASSISTANT}s?",
        r"reading|processing|parsing|summari[sz]ing|answering|handling|that reads|who reads",
        2,
    ),
    _near(rf"{lx.AI}|the {lx.ASSISTANT}", r"must|should|shall|needs to|has to|is required to", 1),
]
# A machine reader named anywhere: the addressing patterns only run in a window around each.
_READER = _word(rf"{lx.AI}|{lx.ASSISTANT}s?")
_WINDOW = 120
_OVERRIDE_SCOPED = _near(
    lx.OVERRIDE,
    rf"(?:{lx.SCOPE})(?:[^.!?\n\w]+[\w'’-]+){{0,3}}?[^.!?\n\w]+(?:{lx.INSTRUCTIONS})",
    3,
)
# Romance word order: "ignore les instructions précédentes", "ignora las instrucciones previas".
_OVERRIDE_SCOPED_AFTER = _near(lx.OVERRIDE, rf"(?:{lx.INSTRUCTIONS})[^.!?\n\w]+(?:{lx.SCOPE})", 3)
_OVERRIDE_OWN = _near(
    lx.OVERRIDE, rf"(?:{lx.FIRST_PERSON})[^.!?\n\w]+(?:\w+[^.!?\n\w]+)?(?:{lx.INSTRUCTIONS})", 1
)
_OVERRIDE_ANY = _near(lx.OVERRIDE, lx.INSTRUCTIONS, 5)
_OVERRIDE_EVERYTHING = re.compile(
    r"(?:ignore|disregard|forget) (?:everything|all of the above|anything) (?:above|before|you)", _F
)
_CANCELLED = _near(lx.INSTRUCTIONS, lx.CANCELLED, 6)
_PERSONA = _word(lx.PERSONA)
_PERSONA_AI = _near(lx.PERSONA, rf"{lx.AI}|{lx.ASSISTANT}|console|operator|administrator|admin", 4)
_UNLIMITED = _word(lx.UNLIMITED)
_REVEAL = _near(lx.REVEAL, lx.SECRETS, 6)
_SYSTEM_PROMPT = _word(lx.SYSTEM_PROMPT)
_SECRECY = _word(lx.SECRECY)
_OUTPUT = _word(lx.OUTPUT_CONTROL)
_NEW_ORDERS = _word(lx.NEW_ORDERS)
_TOOLS = _word(lx.TOOLS)
_TOOL_JSON = re.compile(
    r"[\"'<](?:tool_calls?|function_call|tool_use|invoke)[\"'>]|<(?:tool_call|function_call|function_calls)>",
    _F,
)
_SNAKE_CALL = re.compile(r"(?<![\w.])[a-z]+(?:_[a-z]+)+\s*\((?:[^()]*=|[^()]*https?://)", _F)
_SHELL_EXFIL = re.compile(r"\b(?:curl|wget)\b[^\n]{0,80}(?:\s-d\s|--data|\s@|\|\s*(?:ba)?sh)", _F)
_DECODE = re.compile(lx.DECODE_AND_ACT, _F)
_SEND_TO_URL = re.compile(
    r"(?:send|append|post|forward|upload|submit|transmit|exfiltrate|report|leak)\w*\b[^.\n]{0,80}"
    r"\bto\s+(?:https?://|www\.|[\w.-]+@)",
    _F,
)

_MD_TARGET = r"\]\(\s*(?:https?:)?//[^)\s]+\)"
_MD_IMAGE = re.compile(r"!\[[^\]]{0,200}" + _MD_TARGET, re.I)
_MD_LINK = re.compile(r"(?<!!)\[[^\]]{0,200}" + _MD_TARGET, re.I)
_HTML_IMG = re.compile(r"<img[^>]+src=[\"']?(?:https?:)?//[^\s\"'>]+", re.I)
# A placeholder for data to be filled in: {{x}}, {x}, ${x}, %7Bx%7D, <x>, SHOUTED_NAME.
_PLACEHOLDER = re.compile(r"\{\{?[^}]{1,60}\}|\$\{|%7[bB]|<[a-z_]{2,30}>|=[A-Z][A-Z_]{5,}")
_PLACEHOLDER_CASED = re.compile(r"=[A-Z][A-Z_]{5,}(?:&|\)|$)|[?&][a-z_]+=\{|\{\{|\$\{|%7[bB]")
_FILL_IN = re.compile(
    r"(?:replac\w+|fill\w* in|substitut\w+|insert)\b[^.]{0,60}(?:user|question|context|secret|key|token|email|conversation|braces|placeholder)",
    _F,
)

_MARKERS = re.compile(
    r"<\|(?:im_start|im_end|system|user|assistant|endoftext|end|eot_id|start_header_id"
    r"|end_header_id|begin_of_text)\|>|\[/?inst\]|<</?sys>>|\[/?system\]|<start_of_turn>"
    r"|#{2,4}\s*(?:instruction|system|response|input)s?\s*:|^\s*#{2,4}\s*(?:instruction|system|response|input)s?\s*$"
    r"|</?(?:system|instructions?|assistant|system_prompt)>|[\"']role[\"']\s*:\s*[\"']system[\"']",
    _F,
)
_TURN = re.compile(r"^\s*(?:system|assistant|human|user)\s*:", _F)
_END_CONTEXT = re.compile(
    r"</(?:document|context|data|input|email|text)>|\[end of (?:document|context)\]", _F
)
_HIDDEN_MARKUP = re.compile(
    r"<!--[^>]{8,}?-->|display\s*:\s*none|font-size\s*:\s*0|visibility\s*:\s*hidden"
    r"|color\s*:\s*(?:white|#fff\b|#ffffff)",
    _F,
)

_AI_OR_ASSISTANT = Gate.of(f"{lx.AI}|{lx.ASSISTANT}")
_G = {name: Gate.of(getattr(lx, name)) for name in dir(lx) if name.isupper()}
_MARKER_STARTS = (
    *("<|", "[inst", "[/inst", "<<", "[system", "[/system", "<start", "#", "<system", "</system"),
    *("<instruction", "</instruction", "<assistant", "</assistant", "role"),
)
_MARKER_GATE = Gate({}, {}, _MARKER_STARTS, frozenset())


def _open(text: Text, *gates: Gate) -> bool:
    return all(g.open(text) for g in gates)


# Weights, set by hand on the tuning set (bench.screen_corpus) only; a text is an injection at
# a total of THRESHOLD. One strong sign (a role marker, a templated exfiltration URL, setting
# "all previous instructions" aside) is enough; a weak one (a vocative "AI:", "you are now",
# "in your reply") needs another.
WEIGHTS: dict[str, float] = {
    "addressed_to_ai": 1.5,
    "override_instructions": 3.0,
    "override_instructions_weak": 1.2,
    "instructions_cancelled": 1.5,
    "persona_switch": 2.0,
    "persona_phrase": 0.8,
    "no_limits": 1.2,
    "reveal_secrets": 1.5,
    "system_prompt": 1.5,
    "secrecy": 2.0,
    "output_control": 0.6,
    "new_orders": 1.5,
    "tool_call": 1.2,
    "tool_call_json": 3.0,
    "send_to_url": 1.5,
    "shell_exfiltration": 2.0,
    "decode_and_follow": 2.0,
    "markdown_exfiltration": 3.5,
    "url_with_query": 0.8,
    "fill_in_data": 1.2,
    "role_marker": 3.5,
    "turn_marker": 0.8,
    "context_break": 1.5,
    "hidden_markup": 1.0,
    "hidden_characters": 1.0,
    "tag_characters": 3.0,
}
THRESHOLD = 3.0
# Signs that only mean something when the text speaks to a machine reader.
_DIRECTIVES = frozenset(WEIGHTS) - {"addressed_to_ai", "hidden_characters", "url_with_query"}


@dataclass(frozen=True)
class Found:
    features: frozenset[str]

    @property
    def total(self) -> float:
        total = sum(WEIGHTS[f] for f in self.features)
        if "addressed_to_ai" in self.features and self.features & _DIRECTIVES:
            total += 0.5  # an instruction *to the model*, not a mention of one
        return total


def features(original: str) -> Found:
    """The features present in ``original`` (already normalised)."""
    text = original.lower()
    words = Text(text)
    g = _G

    def gated(pattern: re.Pattern[str], *gates: Gate) -> bool:
        return _open(words, *gates) and pattern.search(text) is not None

    found: set[str] = set()
    if _open(words, _AI_OR_ASSISTANT) and _addressed(text):
        found.add("addressed_to_ai")
    if _open(words, g["OVERRIDE"], g["INSTRUCTIONS"]):
        scoped = (_OVERRIDE_SCOPED, _OVERRIDE_SCOPED_AFTER, _OVERRIDE_EVERYTHING)
        if any(p.search(text) for p in scoped):
            own = _OVERRIDE_OWN.search(text)
            found.add("override_instructions_weak" if own else "override_instructions")
        elif _OVERRIDE_ANY.search(text):
            found.add("override_instructions_weak")
    if gated(_CANCELLED, g["INSTRUCTIONS"], g["CANCELLED"]):
        found.add("instructions_cancelled")
    if _open(words, g["PERSONA"]):
        if _PERSONA_AI.search(text):
            found.add("persona_switch")
        elif _PERSONA.search(text):
            found.add("persona_phrase")
    if gated(_UNLIMITED, g["UNLIMITED"]):
        found.add("no_limits")
    if gated(_REVEAL, g["REVEAL"], g["SECRETS"]):
        found.add("reveal_secrets")
    if gated(_SYSTEM_PROMPT, g["SYSTEM_PROMPT"]):
        found.add("system_prompt")
    if gated(_SECRECY, g["SECRECY"]):
        found.add("secrecy")
    if gated(_OUTPUT, g["OUTPUT_CONTROL"]):
        found.add("output_control")
    if gated(_NEW_ORDERS, g["NEW_ORDERS"]):
        found.add("new_orders")
    if "tool" in text or "function" in text or "invoke" in text:
        if _TOOL_JSON.search(text):
            found.add("tool_call_json")
        elif _TOOLS.search(text):
            found.add("tool_call")
    if "tool_call" not in found and "(" in text and "_" in text and _SNAKE_CALL.search(text):
        found.add("tool_call")
    if ("curl" in text or "wget" in text) and _SHELL_EXFIL.search(text):
        found.add("shell_exfiltration")
    if (" to http" in text or " to www." in text or "@" in text) and _SEND_TO_URL.search(text):
        found.add("send_to_url")
    if gated(_DECODE, g["DECODE_AND_ACT"]):
        found.add("decode_and_follow")
    if "](" in text or "<img" in text:
        found |= _links(original)
    if _open(words, _MARKER_GATE) and _MARKERS.search(text):
        found.add("role_marker")
    elif ":" in text and _TURN.search(text):
        found.add("turn_marker")
    if ("</" in text or "[end of" in text) and _END_CONTEXT.search(text):
        found.add("context_break")
    if (
        "<!--" in text
        or "display" in text
        or "font-size" in text
        or "visibility" in text
        or "color" in text
    ) and _HIDDEN_MARKUP.search(text):
        found.add("hidden_markup")
    if any(w in text for w in ("replac", "fill", "substitut", "insert")) and _FILL_IN.search(text):
        found.add("fill_in_data")
    return Found(frozenset(found))


def _addressed(text: str) -> bool:
    """Whether a machine reader is addressed: the patterns run on the sentence around each
    mention (from its start, at most ``_WINDOW`` characters either side), not the whole text."""
    for mention in _READER.finditer(text):
        start, end = mention.span()
        begin = max(max(text.rfind(c, 0, start) for c in ".!?\n") + 1, start - _WINDOW)
        window = text[begin : end + _WINDOW]
        if any(p.search(window) for p in _ADDRESSED):
            return True
    return False


def _links(text: str) -> set[str]:
    found: set[str] = set()
    links = [_MD_IMAGE, _MD_LINK, _HTML_IMG]
    for match in [m for p in links for m in p.finditer(text)]:
        target = match.group()
        if "?" not in target and "{" not in target:
            continue
        if _PLACEHOLDER_CASED.search(target) or _PLACEHOLDER.search(target.split("?", 1)[-1]):
            found.add("markdown_exfiltration")
        else:
            found.add("url_with_query")
    return found
