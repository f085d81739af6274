"""The hash list's version row moves to the `lists` app as the list named `hashes`.

The version and its publication time move as they are, so members' copies stay current and
the matching service's snapshot (known by both) is rebuilt at most once.
"""

from django.db import migrations

HASH_LIST = "hashes"


def to_lists(apps, schema_editor):
    old = apps.get_model("hashes", "HashListVersion").objects.first()
    if old is not None:
        apps.get_model("lists", "ListVersion").objects.update_or_create(
            name=HASH_LIST, defaults={"version": old.version, "published_at": old.published_at}
        )


def back_to_hashes(apps, schema_editor):
    row = apps.get_model("lists", "ListVersion").objects.filter(name=HASH_LIST).first()
    if row is not None:
        apps.get_model("hashes", "HashListVersion").objects.create(
            pk=1, version=row.version, published_at=row.published_at
        )
        row.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("hashes", "0002_index_entries_by_value"),
        ("lists", "0001_list_versions"),
    ]

    operations = [
        migrations.RunPython(to_lists, back_to_hashes),
        migrations.DeleteModel(name="HashListVersion"),
    ]
