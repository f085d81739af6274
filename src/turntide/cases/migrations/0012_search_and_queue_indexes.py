"""Indexes for the queue and the search over every case at a million cases (issue 15).

The open queue and the queue of one status are read in their default priority order from
an index instead of being sorted whole. On PostgreSQL, an index of each address's host
spelt backwards serves a search by host or domain (cases.queue.ReversedHost), and a trigram
index on the address serves a search by part of an address (a regular expression); both
otherwise read every case. pg_trgm ships with PostgreSQL and is a trusted extension: the
owner of the database may create it. SQLite has neither and reads every case.
"""

from typing import Any

from django.db import migrations, models

TRIGRAMS = "case_url_trigram_idx"
HOSTS = "case_host_idx"
ORDER = ["-immediate_danger", "-source_confidence", "-report_count", "due_at", "id"]


def create_trigrams(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX {TRIGRAMS} ON cases_urlcase USING gin (canonical_url gin_trgm_ops)"
        )
        schema_editor.execute(
            f"CREATE INDEX {HOSTS} ON cases_urlcase"
            " ((reverse(split_part(canonical_url, '/', 3)) COLLATE \"C\"))"
        )


def drop_trigrams(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX {TRIGRAMS}, {HOSTS}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_assessment_legal_status")]

    operations = [
        migrations.RemoveIndex(model_name="urlcase", name="case_priority_idx"),
        migrations.AddIndex(
            model_name="urlcase",
            index=models.Index(fields=["status", *ORDER], name="case_priority_idx"),
        ),
        migrations.AddIndex(
            model_name="urlcase",
            index=models.Index(
                fields=ORDER,
                condition=models.Q(status__in=("new", "verifying", "disputed")),
                name="case_open_queue_idx",
            ),
        ),
        migrations.RunPython(create_trigrams, drop_trigrams),
    ]
