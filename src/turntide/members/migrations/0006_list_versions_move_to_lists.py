"""The URL and keyword lists' version rows move to the `lists` app, home of every list's.

The rows move as they are (name, version, publication time), so members' copies stay
current; going back moves them home again.
"""

from django.db import migrations


def to_lists(apps, schema_editor):
    lists = apps.get_model("lists", "ListVersion")
    for row in apps.get_model("members", "ListVersion").objects.all():
        lists.objects.update_or_create(
            name=row.name, defaults={"version": row.version, "published_at": row.published_at}
        )


def back_to_members(apps, schema_editor):
    members = apps.get_model("members", "ListVersion")
    lists = apps.get_model("lists", "ListVersion")
    for row in lists.objects.filter(name__in=["urls", "keywords"]):
        members.objects.create(name=row.name, version=row.version, published_at=row.published_at)
        row.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0005_keyword_language_tags"),
        ("lists", "0001_list_versions"),
    ]

    operations = [
        migrations.RunPython(to_lists, back_to_members),
        migrations.DeleteModel(name="ListVersion"),
    ]
