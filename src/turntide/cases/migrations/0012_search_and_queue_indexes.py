"""Indexes for the queue and the search over every case at a million cases (issue 15).

The open queue and the queue of one status are read in their default priority order from
an index instead of being sorted whole. A trigram index on the canonical address serves, on
PostgreSQL, the regular expressions of a search by host, domain or part of an address, which
otherwise read every case. pg_trgm ships with PostgreSQL and is a trusted extension: the
owner of the database may create it. SQLite has no such index and reads every case.
"""

from typing import Any

from django.db import migrations, models

TRIGRAMS = "case_url_trigram_idx"
ORDER = ["-immediate_danger", "-source_confidence", "-report_count", "due_at", "id"]


def create_trigrams(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX {TRIGRAMS} ON cases_urlcase USING gin (canonical_url gin_trgm_ops)"
        )


def drop_trigrams(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX {TRIGRAMS}")


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
