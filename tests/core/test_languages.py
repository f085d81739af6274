"""Language tags of the keyword list: BCP 47 spelling, primary subtag from ISO 639-1."""

from __future__ import annotations

import pytest
from django.conf.locale import LANG_INFO

from turntide.core.languages import InvalidLanguageTag, language_tag

SPELLINGS = {  # as typed: as stored
    "en": "en",
    "EN": "en",
    "pt-br": "pt-BR",
    "pt_BR": "pt-BR",
    "ZH-HANT": "zh-Hant",
    "zh-Hant-TW": "zh-Hant-TW",
    "es-419": "es-419",
    "fil": "fil",
    " de-AT ": "de-AT",
}


@pytest.mark.parametrize(("text", "tag"), SPELLINGS.items())
def test_tags_are_spelled_one_way(text: str, tag: str) -> None:
    assert language_tag(text) == tag


@pytest.mark.parametrize(
    "text",
    [
        "",
        "English",
        "xx",
        "eng",
        "e",
        "en-",
        "en-US-x",
        "en US",
        "pt-BRA",
        "zh-Hant-TW-1",
        "\uff45\uff4e",
    ],
)
def test_anything_else_is_refused(text: str) -> None:
    with pytest.raises(InvalidLanguageTag):
        language_tag(text)


def test_every_language_django_translates_is_accepted() -> None:
    for code in LANG_INFO:
        assert language_tag(code).lower() == code
