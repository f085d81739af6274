"""Model and field names translatable, for the admin's headings, columns and filters; the
tables do not change (no SQL)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('exchange', '0002_seed_iccam_vocabulary'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='iccamterm',
            options={'ordering': ['lookup', 'iccam_id'], 'verbose_name': 'ICCAM term', 'verbose_name_plural': 'ICCAM terms'},
        ),
        migrations.AlterModelOptions(
            name='vocabularymapping',
            options={'ordering': ['lookup', 'turntide_value'], 'verbose_name': 'vocabulary mapping', 'verbose_name_plural': 'vocabulary mappings'},
        ),
        migrations.AlterField(
            model_name='vocabularymapping',
            name='term',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='exchange.iccamterm', verbose_name='ICCAM term'),
        ),
    ]
