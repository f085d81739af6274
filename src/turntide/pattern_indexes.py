"""Dropping the LIKE-only twin index PostgreSQL gets for each unique text column.

Django gives every indexed varchar a second index with `varchar_pattern_ops`, for LIKE
queries outside the C locale. Keys, codes and references are matched only whole, so on the
busiest tables that twin serves no query and doubles the index work of every insert (a
million reported URLs carried 164 MB of them). Other databases have no such index.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def without_pattern_indexes(app_label: str, model_name: str, *fields: str) -> migrations.RunPython:
    """A migration step that drops the twins of `fields` (and recreates them when reversed)."""

    def twins(apps: Any, schema_editor: Any) -> list[tuple[Any, Any]]:
        if schema_editor.connection.vendor != "postgresql":
            return []
        model = apps.get_model(app_label, model_name)
        return [(model, model._meta.get_field(name)) for name in fields]

    def drop(apps: Any, schema_editor: Any) -> None:
        for model, field in twins(apps, schema_editor):
            name = schema_editor._create_index_name(model._meta.db_table, [field.column], "_like")
            schema_editor.execute(schema_editor._delete_index_sql(model, name))

    def create(apps: Any, schema_editor: Any) -> None:
        for model, field in twins(apps, schema_editor):
            schema_editor.execute(schema_editor._create_like_index_sql(model, field))

    return migrations.RunPython(drop, create)
