"""Model and field names translatable, for the admin's headings, columns and filters; the
tables do not change (no SQL)."""

import django.db.models.deletion
import django.utils.timezone
import turntide.members.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0007_withdraw_entries_no_client_generates'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='apitoken',
            options={'verbose_name': 'API token', 'verbose_name_plural': 'API tokens'},
        ),
        migrations.AlterModelOptions(
            name='membership',
            options={'verbose_name': 'membership', 'verbose_name_plural': 'memberships'},
        ),
        migrations.AlterModelOptions(
            name='organisation',
            options={'verbose_name': 'organisation', 'verbose_name_plural': 'organisations'},
        ),
        migrations.AlterField(
            model_name='apitoken',
            name='created_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='created on'),
        ),
        migrations.AlterField(
            model_name='apitoken',
            name='expires_at',
            field=models.DateTimeField(verbose_name='expires'),
        ),
        migrations.AlterField(
            model_name='apitoken',
            name='label',
            field=models.CharField(blank=True, max_length=100, verbose_name='label'),
        ),
        migrations.AlterField(
            model_name='apitoken',
            name='last_used_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='last used'),
        ),
        migrations.AlterField(
            model_name='apitoken',
            name='organisation',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tokens', to='members.organisation', verbose_name='organisation'),
        ),
        migrations.AlterField(
            model_name='apitoken',
            name='prefix',
            field=models.CharField(max_length=16, unique=True, verbose_name='prefix'),
        ),
        migrations.AlterField(
            model_name='apitoken',
            name='revoked_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='revoked'),
        ),
        migrations.AlterField(
            model_name='apitoken',
            name='services',
            field=models.JSONField(default=list, verbose_name='services'),
        ),
        migrations.AlterField(
            model_name='membership',
            name='organisation',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='members.organisation', verbose_name='organisation'),
        ),
        migrations.AlterField(
            model_name='membership',
            name='user',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL, verbose_name='person'),
        ),
        migrations.AlterField(
            model_name='organisation',
            name='agreement_end',
            field=models.DateField(blank=True, null=True, verbose_name='agreement end'),
        ),
        migrations.AlterField(
            model_name='organisation',
            name='agreement_start',
            field=models.DateField(blank=True, null=True, verbose_name='agreement start'),
        ),
        migrations.AlterField(
            model_name='organisation',
            name='code',
            field=models.CharField(default=turntide.members.models.new_organisation_code, max_length=20, unique=True, verbose_name='code'),
        ),
        migrations.AlterField(
            model_name='organisation',
            name='contact_email',
            field=models.EmailField(blank=True, max_length=254, verbose_name='contact email'),
        ),
        migrations.AlterField(
            model_name='organisation',
            name='created_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='created on'),
        ),
        migrations.AlterField(
            model_name='organisation',
            name='kind',
            field=models.CharField(choices=[('isp', 'Internet service provider'), ('mobile', 'Mobile operator'), ('search', 'Search engine'), ('filtering', 'Filtering or security vendor'), ('platform', 'Platform'), ('adult_site', 'Adult site'), ('partner_hotline', 'Partner hotline'), ('proactive', "The hotline's own proactive search"), ('other', 'Other')], default='other', max_length=20, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='organisation',
            name='list_key',
            field=models.CharField(blank=True, help_text='Empty: plain SHA-256.', max_length=64, verbose_name='list key'),
        ),
        migrations.AlterField(
            model_name='organisation',
            name='list_key_version',
            field=models.PositiveIntegerField(default=0, verbose_name='key since list version'),
        ),
        migrations.AlterField(
            model_name='organisation',
            name='name',
            field=models.CharField(max_length=200, unique=True, verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='organisation',
            name='services',
            field=models.JSONField(default=list, help_text='Licensed services.', verbose_name='services'),
        ),
        migrations.AlterField(
            model_name='organisation',
            name='status',
            field=models.CharField(choices=[('active', 'Active'), ('suspended', 'Suspended'), ('ended', 'Agreement ended')], default='active', max_length=20, verbose_name='status'),
        ),
    ]
