"""Model and field names translatable, for the admin's headings, columns and filters; the
tables do not change (no SQL)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('takedown', '0008_replies_read_from_the_mailbox'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='noticetemplate',
            options={'verbose_name': 'notice template', 'verbose_name_plural': 'notice templates'},
        ),
        migrations.AlterModelOptions(
            name='partnerhotline',
            options={'ordering': ['country'], 'verbose_name': 'partner hotline', 'verbose_name_plural': 'partner hotlines'},
        ),
        migrations.AlterModelOptions(
            name='provider',
            options={'ordering': ['asn'], 'verbose_name': 'hosting provider', 'verbose_name_plural': 'hosting providers'},
        ),
        migrations.AlterModelOptions(
            name='quietday',
            options={'ordering': ['day'], 'verbose_name': 'quiet day', 'verbose_name_plural': 'quiet days'},
        ),
        migrations.AlterField(
            model_name='noticetemplate',
            name='provider',
            field=models.ForeignKey(blank=True, help_text='Empty: for every contact without one of its own.', null=True, on_delete=django.db.models.deletion.CASCADE, to='takedown.provider', verbose_name='hosting provider'),
        ),
    ]
