"""Field and model names translatable, for the admin's columns and filters; the tables do not
change (no SQL)."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0012_search_and_queue_indexes'),
        ('hashes', '0003_list_version_moves_to_lists'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='hashentry',
            options={'verbose_name': 'hash entry', 'verbose_name_plural': 'hash entries'},
        ),
        migrations.AlterModelOptions(
            name='hashsource',
            options={'verbose_name': 'hash source', 'verbose_name_plural': 'hash sources'},
        ),
        migrations.AlterField(
            model_name='hashentry',
            name='added_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='added'),
        ),
        migrations.AlterField(
            model_name='hashentry',
            name='added_by',
            field=models.CharField(max_length=150, verbose_name='added by'),
        ),
        migrations.AlterField(
            model_name='hashentry',
            name='added_version',
            field=models.PositiveIntegerField(verbose_name='added in list version'),
        ),
        migrations.AlterField(
            model_name='hashentry',
            name='case',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='hashes', to='cases.urlcase', verbose_name='case'),
        ),
        migrations.AlterField(
            model_name='hashentry',
            name='category',
            field=models.CharField(blank=True, choices=[('A', 'Category A'), ('B', 'Category B'), ('C', 'Category C')], max_length=1, verbose_name='category'),
        ),
        migrations.AlterField(
            model_name='hashentry',
            name='pdq_quality',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='PDQ quality'),
        ),
        migrations.AlterField(
            model_name='hashentry',
            name='source',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='entries', to='hashes.hashsource', verbose_name='source'),
        ),
        migrations.AlterField(
            model_name='hashentry',
            name='type',
            field=models.CharField(choices=[('md5', 'MD5'), ('sha1', 'SHA-1'), ('pdq', 'PDQ'), ('photodna', 'PhotoDNA')], max_length=10, verbose_name='type'),
        ),
        migrations.AlterField(
            model_name='hashentry',
            name='value',
            field=models.CharField(max_length=2000, verbose_name='value'),
        ),
        migrations.AlterField(
            model_name='hashentry',
            name='withdrawal_note',
            field=models.CharField(blank=True, max_length=500, verbose_name='withdrawal note'),
        ),
        migrations.AlterField(
            model_name='hashentry',
            name='withdrawal_reason',
            field=models.CharField(blank=True, choices=[('false_positive', 'Matches harmless content'), ('case_not_criminal', 'Its case is no longer judged criminal'), ('source_retracted', 'Retracted by its source'), ('replaced', 'Replaced by an entry with new details')], max_length=20, verbose_name='withdrawal reason'),
        ),
        migrations.AlterField(
            model_name='hashentry',
            name='withdrawn_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='withdrawn'),
        ),
        migrations.AlterField(
            model_name='hashentry',
            name='withdrawn_by',
            field=models.CharField(blank=True, max_length=150, verbose_name='withdrawn by'),
        ),
        migrations.AlterField(
            model_name='hashentry',
            name='withdrawn_version',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='withdrawn in list version'),
        ),
        migrations.AlterField(
            model_name='hashsource',
            name='created_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='created'),
        ),
        migrations.AlterField(
            model_name='hashsource',
            name='licence',
            field=models.CharField(blank=True, max_length=200, verbose_name='licence'),
        ),
        migrations.AlterField(
            model_name='hashsource',
            name='name',
            field=models.CharField(max_length=100, unique=True, verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='hashsource',
            name='pdq_threshold',
            field=models.PositiveSmallIntegerField(default=31, help_text='Largest PDQ Hamming distance that counts as a match (0 to 256).', validators=[django.core.validators.MaxValueValidator(256)], verbose_name='PDQ threshold'),
        ),
        migrations.AlterField(
            model_name='hashsource',
            name='trust',
            field=models.CharField(choices=[('hotline', "The hotline's own assessments"), ('verified', 'Partner whose entries are verified'), ('partner', 'Partner, entries not verified here')], default='partner', max_length=20, verbose_name='trust'),
        ),
    ]
