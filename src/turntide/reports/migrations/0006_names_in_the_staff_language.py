"""Model and field names translatable, for the admin's headings, columns and filters; the
tables do not change (no SQL)."""

import django.utils.timezone
import turntide.reports.models.report
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0005_hotline_name_logo_and_country_police_number'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='report',
            options={'verbose_name': 'report', 'verbose_name_plural': 'reports'},
        ),
        migrations.AlterField(
            model_name='report',
            name='channel',
            field=models.CharField(choices=[('public', 'Public form'), ('trusted', 'Trusted reporter'), ('proactive', 'Proactive search'), ('import', 'Historical import')], default='public', max_length=20, verbose_name='channel'),
        ),
        migrations.AlterField(
            model_name='report',
            name='content_type',
            field=models.CharField(blank=True, choices=[('images', 'Images'), ('videos', 'Videos'), ('both', 'Images and videos'), ('unsure', 'Not sure')], max_length=10, verbose_name='content type'),
        ),
        migrations.AlterField(
            model_name='report',
            name='description',
            field=models.TextField(blank=True, max_length=2000, verbose_name='description'),
        ),
        migrations.AlterField(
            model_name='report',
            name='found_where',
            field=models.CharField(blank=True, choices=[('website', 'A website'), ('search', 'Search results'), ('social', 'Social media or an app'), ('chat', 'Chat or messaging'), ('email', 'Email'), ('other', 'Somewhere else')], max_length=10, verbose_name='found where'),
        ),
        migrations.AlterField(
            model_name='report',
            name='immediate_danger',
            field=models.BooleanField(default=False, verbose_name='immediate danger'),
        ),
        migrations.AlterField(
            model_name='report',
            name='received_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='received on'),
        ),
        migrations.AlterField(
            model_name='report',
            name='reference',
            field=models.CharField(default=turntide.reports.models.report.new_reference, max_length=20, unique=True, verbose_name='reference'),
        ),
        migrations.AlterField(
            model_name='report',
            name='source',
            field=models.CharField(blank=True, max_length=20, verbose_name='trusted source'),
        ),
    ]
