"""Model and field names translatable, for the admin's headings, columns and filters; the
tables do not change (no SQL)."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_trail_indexes_and_verifications'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='event',
            options={'ordering': ['sequence'], 'verbose_name': 'audit event', 'verbose_name_plural': 'audit events'},
        ),
        migrations.AlterField(
            model_name='event',
            name='action',
            field=models.CharField(max_length=100, verbose_name='action'),
        ),
        migrations.AlterField(
            model_name='event',
            name='actor',
            field=models.CharField(help_text="Username, or 'system' or 'public'.", max_length=150, verbose_name='who'),
        ),
        migrations.AlterField(
            model_name='event',
            name='algorithm',
            field=models.CharField(choices=[('sha256', 'SHA-256, unkeyed'), ('hmac-sha256', 'HMAC-SHA256')], max_length=16, verbose_name='algorithm'),
        ),
        migrations.AlterField(
            model_name='event',
            name='details',
            field=models.JSONField(blank=True, default=dict, verbose_name='details'),
        ),
        migrations.AlterField(
            model_name='event',
            name='hash',
            field=models.CharField(max_length=64, unique=True, verbose_name='hash'),
        ),
        migrations.AlterField(
            model_name='event',
            name='key_id',
            field=models.CharField(blank=True, help_text='Id of the key that signed it (audit.keys).', max_length=16, verbose_name='key id'),
        ),
        migrations.AlterField(
            model_name='event',
            name='object_code',
            field=models.CharField(blank=True, max_length=64, verbose_name='object'),
        ),
        migrations.AlterField(
            model_name='event',
            name='object_type',
            field=models.CharField(blank=True, max_length=50, verbose_name='object type'),
        ),
        migrations.AlterField(
            model_name='event',
            name='occurred_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='occurred'),
        ),
        migrations.AlterField(
            model_name='event',
            name='previous_hash',
            field=models.CharField(max_length=64, unique=True, verbose_name='previous hash'),
        ),
        migrations.AlterField(
            model_name='event',
            name='sequence',
            field=models.BigAutoField(primary_key=True, serialize=False, verbose_name='number'),
        ),
    ]
