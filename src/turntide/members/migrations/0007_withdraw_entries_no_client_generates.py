"""URL entries that no client generates leave the list, in one new list version.

Until the canonicaliser refused stray brackets in a host (`http://[::1` came out as
`http://[/`), such addresses could be reported, judged and published. The publisher now
refuses to add them; this takes off those already published, so members stop carrying
entries that can never match. The cases themselves are untouched.
"""

from itertools import batched

from django.db import migrations
from django.utils import timezone


def generated(expression):
    """Whether a client checking some URL would compute this expression first."""
    from turntide.core.urls import InvalidURL, expressions

    try:
        return expressions(f"http://{expression}")[0] == expression
    except InvalidURL:
        return False


def withdraw_entries_no_client_generates(apps, schema_editor):
    entries = apps.get_model("members", "URLListEntry")
    versions = apps.get_model("lists", "ListVersion")
    present = entries.objects.filter(removed_version__isnull=True, kind="url")
    refused = [
        pk
        for pk, expression in present.values_list("pk", "expression").iterator()
        if not generated(expression)
    ]
    if not refused:
        return
    now = timezone.now()
    row, _ = versions.objects.select_for_update().get_or_create(name="urls")
    row.version += 1
    row.published_at = now
    row.save()
    for chunk in batched(refused, 1000):
        entries.objects.filter(pk__in=chunk).update(removed_version=row.version, removed_at=now)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0006_list_versions_move_to_lists"),
    ]

    operations = [
        migrations.RunPython(withdraw_entries_no_client_generates, migrations.RunPython.noop),
    ]
