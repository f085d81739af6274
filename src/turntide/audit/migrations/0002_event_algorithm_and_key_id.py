"""Events record the algorithm and key that signed them.

Every event written before this migration was hashed with plain SHA-256 and no key, so
existing rows get `sha256` and no key id; `record()` names both for every new event.
"""

from django.db import migrations, models

CHOICES = [("sha256", "SHA-256, unkeyed"), ("hmac-sha256", "HMAC-SHA256")]


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_event_chain")]

    operations = [
        migrations.AddField(
            model_name="event",
            name="algorithm",
            field=models.CharField(choices=CHOICES, default="sha256", max_length=16),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="event",
            name="key_id",
            field=models.CharField(
                blank=True,
                default="",
                help_text="Id of the key that signed it (audit.keys).",
                max_length=16,
            ),
            preserve_default=False,
        ),
    ]
