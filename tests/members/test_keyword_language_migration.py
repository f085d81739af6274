"""Migration 0005: keywords stored before languages were checked get a language tag."""

from __future__ import annotations

import importlib

from django.apps import apps

from turntide.lists.models import ListVersion
from turntide.members.models import Keyword

migration = importlib.import_module("turntide.members.migrations.0005_keyword_language_tags")


class AppsAt0005:
    """The models as the migration knew them: its `members.ListVersion` has lived on, with
    the same fields, as `lists.ListVersion` since members 0006."""

    def get_model(self, app_label: str, name: str) -> type:
        if (app_label, name) == ("members", "ListVersion"):
            return ListVersion
        return apps.get_model(app_label, name)


def keyword(analyst, term: str, language: str, *, removed: int | None = None) -> int:
    row = Keyword.objects.create(
        term=term, language=language, added_by=analyst, added_version=1, removed_version=removed
    )
    return row.pk


def test_free_text_languages_become_tags_and_duplicates_leave_in_one_version(analyst) -> None:
    ListVersion.objects.create(name="keywords", version=7)
    ids = {
        "upper": keyword(analyst, "same", "EN"),
        "lower": keyword(analyst, "same", "en"),
        "underscore": keyword(analyst, "term", "pt_br"),
        "english name": keyword(analyst, "term", "English"),
        "own name": keyword(analyst, "terme", "Français"),
        "nonsense": keyword(analyst, "term", "n/a"),
        "withdrawn": keyword(analyst, "old", "Klingon", removed=3),
    }
    migration.respell_languages(AppsAt0005(), None)
    rows = {name: Keyword.objects.get(pk=pk) for name, pk in ids.items()}
    assert {name: row.language for name, row in rows.items()} == {
        "upper": "en",
        "lower": "en",
        "underscore": "pt-BR",
        "english name": "en",
        "own name": "fr",
        "nonsense": "und",
        "withdrawn": "und",
    }
    assert rows["lower"].removed_version == 8  # the later duplicate, in one new version
    assert rows["upper"].removed_version is None
    assert rows["withdrawn"].removed_version == 3
    assert ListVersion.objects.get(name="keywords").version == 8


def test_a_list_already_spelled_well_is_left_as_it_is(analyst) -> None:
    pk = keyword(analyst, "term", "zh-Hant")
    migration.respell_languages(AppsAt0005(), None)
    assert Keyword.objects.get(pk=pk).language == "zh-Hant"
    assert not ListVersion.objects.filter(name="keywords").exists()
