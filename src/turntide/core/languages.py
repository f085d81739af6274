"""Language tags as the keyword list stores them: BCP 47's `language[-script][-region]`.

Members' filters pick terms by language, so `EN`, `en_us` and `English` must not be three
languages.  A tag is checked against ISO 639-1 (and a few three-letter codes for languages it
lacks) and spelled as BCP 47 recommends: language lower case, script title case, region upper
case.

>>> language_tag(" PT_br ")
'pt-BR'
>>> language_tag("zh-hant"), language_tag("es-419"), language_tag("sr-latn-rs")
('zh-Hant', 'es-419', 'sr-Latn-RS')
>>> language_tag("English")
Traceback (most recent call last):
    ...
turntide.core.languages.InvalidLanguageTag: “English” is no language tag such as en, pt-BR, zh-Hant
>>> language_tag("xx")
Traceback (most recent call last):
    ...
turntide.core.languages.InvalidLanguageTag: “xx” is no ISO 639-1 language code (such as en or fr)
"""

from __future__ import annotations

import re

__all__ = ["LANGUAGES", "MAX_LENGTH", "InvalidLanguageTag", "language_tag"]

_ISO_639_1 = (  # the 183 two-letter codes
    "aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy "
    "da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht "
    "hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky "
    "la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny "
    "oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss "
    "st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo "
    "za zh zu"
)
# Three-letter codes of languages with no two-letter one: those Django translates, Filipino,
# Cantonese, and `und` (undetermined) for a term whose language nobody knows.
_THREE_LETTER = "ast ckb dsb hsb kab udm fil yue und"

LANGUAGES = frozenset(_ISO_639_1.split() + _THREE_LETTER.split())
"""The primary language subtags accepted."""

MAX_LENGTH = 10
"""Characters in the longest tag stored (`zh-Hant-TW`)."""

_TAG = re.compile(
    r"(?P<language>[a-z]{2,3})(?:-(?P<script>[a-z]{4}))?(?:-(?P<region>[a-z]{2}|[0-9]{3}))?",
    re.ASCII,
)


class InvalidLanguageTag(ValueError):
    """Text that is not a language tag, or names no known language."""


def language_tag(text: str) -> str:
    """The tag in its one stored spelling; `InvalidLanguageTag` says what is wrong."""
    tag = text.strip().replace("_", "-").lower()
    match = _TAG.fullmatch(tag)
    if match is None or len(tag) > MAX_LENGTH:
        raise InvalidLanguageTag(
            f"“{text.strip():.40}” is no language tag such as en, pt-BR, zh-Hant"
        )
    language, script, region = match.group("language", "script", "region")
    if language not in LANGUAGES:
        raise InvalidLanguageTag(f"“{language}” is no ISO 639-1 language code (such as en or fr)")
    parts = [language, script.title() if script else "", region.upper() if region else ""]
    return "-".join(part for part in parts if part)
