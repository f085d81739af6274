"""Existing keywords' languages in the one spelling `turntide.core.languages` gives.

The language was free text until now. A tag in another spelling (`EN`, `pt_br`) is respelled;
a language's name as Django knows it (`English`, `Français`) becomes its tag; anything else
becomes `und`, BCP 47's "undetermined", so the term stays on the list until an analyst
re-adds it with the right tag. A present term that respelling makes a duplicate of another
present one is withdrawn, in one new list version. Respelling alone keeps the version:
members' copies keep the old spelling of those rows until their next whole-list sync.
"""

from django.conf.locale import LANG_INFO
from django.db import migrations
from django.utils import timezone

from turntide.core.languages import InvalidLanguageTag, language_tag

UNDETERMINED = "und"


def _names() -> dict[str, str]:
    names = {}
    for code, info in LANG_INFO.items():
        for key in ("name", "name_local"):
            if key in info:
                names[info[key].casefold()] = language_tag(code)
    return names


def respell(text: str, names: dict[str, str]) -> str:
    try:
        return language_tag(text)
    except InvalidLanguageTag:
        return names.get(text.strip().casefold(), UNDETERMINED)


def respell_languages(apps, schema_editor):
    Keyword = apps.get_model("members", "Keyword")
    ListVersion = apps.get_model("members", "ListVersion")
    names = _names()
    present: set[tuple[str, str]] = set()
    duplicates, respelled = [], {}
    for keyword in Keyword.objects.order_by("pk"):
        language = respell(keyword.language, names)
        if keyword.removed_version is None:
            if (keyword.term, language) in present:
                duplicates.append(keyword.pk)
                continue
            present.add((keyword.term, language))
        if language != keyword.language:
            respelled[keyword.pk] = language
    if duplicates:  # first, so that no respelled row meets its duplicate while it is present
        current, _created = ListVersion.objects.get_or_create(name="keywords")
        version, now = current.version + 1, timezone.now()
        Keyword.objects.filter(pk__in=duplicates).update(removed_version=version, removed_at=now)
        ListVersion.objects.filter(pk=current.pk).update(version=version, published_at=now)
    for pk, language in respelled.items():
        Keyword.objects.filter(pk=pk).update(language=language)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0004_list_key_version"),
    ]

    operations = [
        migrations.RunPython(respell_languages, migrations.RunPython.noop),
    ]
