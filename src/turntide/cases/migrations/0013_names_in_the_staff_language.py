"""Model and field names translatable, for the admin's headings, columns and filters; the
tables do not change (no SQL)."""

import django.db.models.deletion
import django.utils.timezone
import turntide.cases.models.appeal
import turntide.cases.models.case
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0012_search_and_queue_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='appeal',
            options={'verbose_name': 'appeal', 'verbose_name_plural': 'appeals'},
        ),
        migrations.AlterModelOptions(
            name='assessment',
            options={'verbose_name': 'assessment', 'verbose_name_plural': 'assessments'},
        ),
        migrations.AlterModelOptions(
            name='classificationscheme',
            options={'ordering': ['-is_default', 'name'], 'verbose_name': 'classification scheme', 'verbose_name_plural': 'classification schemes'},
        ),
        migrations.AlterModelOptions(
            name='schemeterm',
            options={'ordering': ['scheme', 'dimension', 'order', 'code'], 'verbose_name': 'scheme term', 'verbose_name_plural': 'scheme terms'},
        ),
        migrations.AlterModelOptions(
            name='termmapping',
            options={'ordering': ['scheme', 'dimension', 'order', 'pk'], 'verbose_name': 'mapping rule', 'verbose_name_plural': 'mapping rules'},
        ),
        migrations.AlterModelOptions(
            name='urlcase',
            options={'verbose_name': 'case', 'verbose_name_plural': 'cases'},
        ),
        migrations.AlterField(
            model_name='appeal',
            name='appellant',
            field=models.CharField(max_length=200, verbose_name='appellant'),
        ),
        migrations.AlterField(
            model_name='appeal',
            name='appellant_kind',
            field=models.CharField(choices=[('host', 'Hosting provider or site operator'), ('member', 'Member organisation'), ('other', 'Other')], max_length=10, verbose_name='appellant kind'),
        ),
        migrations.AlterField(
            model_name='appeal',
            name='assessment',
            field=models.ForeignKey(help_text='The contested assessment.', on_delete=django.db.models.deletion.PROTECT, related_name='appeals', to='cases.assessment', verbose_name='assessment'),
        ),
        migrations.AlterField(
            model_name='appeal',
            name='case',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='appeals', to='cases.urlcase', verbose_name='case'),
        ),
        migrations.AlterField(
            model_name='appeal',
            name='code',
            field=models.CharField(default=turntide.cases.models.appeal.new_appeal_code, max_length=20, unique=True, verbose_name='code'),
        ),
        migrations.AlterField(
            model_name='appeal',
            name='decided_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='decided on'),
        ),
        migrations.AlterField(
            model_name='appeal',
            name='decided_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by'),
        ),
        migrations.AlterField(
            model_name='appeal',
            name='decision_notes',
            field=models.TextField(blank=True, max_length=4000, verbose_name='decision notes'),
        ),
        migrations.AlterField(
            model_name='appeal',
            name='grounds',
            field=models.TextField(max_length=4000, verbose_name='grounds'),
        ),
        migrations.AlterField(
            model_name='appeal',
            name='new_assessment',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.assessment', verbose_name='new assessment'),
        ),
        migrations.AlterField(
            model_name='appeal',
            name='received_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='received on'),
        ),
        migrations.AlterField(
            model_name='appeal',
            name='recorded_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by'),
        ),
        migrations.AlterField(
            model_name='appeal',
            name='status',
            field=models.CharField(choices=[('open', 'Open: awaiting a senior analyst'), ('upheld', 'Upheld: the judgement was changed'), ('rejected', 'Rejected: the judgement stands')], default='open', max_length=10, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='assessment',
            name='age_group',
            field=models.CharField(blank=True, choices=[('0-2', '0-2'), ('3-6', '3-6'), ('7-10', '7-10'), ('11-13', '11-13'), ('14-15', '14-15'), ('16-17', '16-17')], max_length=5, verbose_name='age group'),
        ),
        migrations.AlterField(
            model_name='assessment',
            name='ai_generated',
            field=models.BooleanField(default=False, help_text='AI-generated or virtual', verbose_name='AI-generated'),
        ),
        migrations.AlterField(
            model_name='assessment',
            name='analyst',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to=settings.AUTH_USER_MODEL, verbose_name='analyst'),
        ),
        migrations.AlterField(
            model_name='assessment',
            name='assessed_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='assessed on'),
        ),
        migrations.AlterField(
            model_name='assessment',
            name='case',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assessments', to='cases.urlcase', verbose_name='case'),
        ),
        migrations.AlterField(
            model_name='assessment',
            name='category',
            field=models.CharField(blank=True, choices=[('A', 'Category A: penetrative sexual activity, sexual activity with an animal, sadism'), ('B', 'Category B: non-penetrative sexual activity'), ('C', 'Category C: other indecent images')], max_length=1, verbose_name='category'),
        ),
        migrations.AlterField(
            model_name='assessment',
            name='code',
            field=models.CharField(default=turntide.cases.models.case.new_assessment_code, max_length=20, unique=True, verbose_name='code'),
        ),
        migrations.AlterField(
            model_name='assessment',
            name='commercial',
            field=models.BooleanField(default=False, verbose_name='commercial'),
        ),
        migrations.AlterField(
            model_name='assessment',
            name='decisive',
            field=models.BooleanField(default=False, verbose_name='decisive'),
        ),
        migrations.AlterField(
            model_name='assessment',
            name='duplicate_of',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.urlcase', verbose_name='duplicate of'),
        ),
        migrations.AlterField(
            model_name='assessment',
            name='hosting_country',
            field=models.CharField(blank=True, max_length=2, verbose_name='hosting country'),
        ),
        migrations.AlterField(
            model_name='assessment',
            name='image_count',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='number of images'),
        ),
        migrations.AlterField(
            model_name='assessment',
            name='kind',
            field=models.CharField(choices=[('initial', 'First assessment'), ('verification', "Second analyst's verification"), ('decision', "Senior analyst's decision"), ('appeal', 'Decision on an appeal')], default='initial', max_length=20, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='assessment',
            name='legal_status',
            field=models.CharField(blank=True, choices=[('baseline', "Baseline: illegal in every country (INTERPOL's baseline)"), ('nationally_illegal', "National: illegal under our country's law")], max_length=20, verbose_name='legal status'),
        ),
        migrations.AlterField(
            model_name='assessment',
            name='media',
            field=models.CharField(blank=True, choices=[('images', 'Images'), ('videos', 'Videos'), ('both', 'Images and videos')], max_length=10, verbose_name='media'),
        ),
        migrations.AlterField(
            model_name='assessment',
            name='multiple_children',
            field=models.BooleanField(default=False, verbose_name='several children'),
        ),
        migrations.AlterField(
            model_name='assessment',
            name='notes',
            field=models.TextField(blank=True, max_length=4000, verbose_name='notes'),
        ),
        migrations.AlterField(
            model_name='assessment',
            name='outcome',
            field=models.CharField(choices=[('criminal', 'Criminal: child sexual abuse imagery'), ('criminal_non_photographic', 'Criminal: non-photographic imagery'), ('not_illegal', 'Not illegal'), ('unavailable', 'Content unavailable'), ('other_harm', 'Other harmful content'), ('duplicate', 'Duplicate of another case'), ('not_assessable', 'Cannot be assessed')], max_length=30, verbose_name='outcome'),
        ),
        migrations.AlterField(
            model_name='assessment',
            name='referred_to',
            field=models.CharField(blank=True, max_length=200, verbose_name='referred to'),
        ),
        migrations.AlterField(
            model_name='assessment',
            name='self_generated',
            field=models.CharField(blank=True, choices=[('yes', 'Yes'), ('no', 'No'), ('unclear', 'Unclear')], max_length=10, verbose_name='self-generated'),
        ),
        migrations.AlterField(
            model_name='assessment',
            name='sex',
            field=models.CharField(blank=True, choices=[('girls', 'Girls'), ('boys', 'Boys'), ('both', 'Both'), ('unknown', 'Unknown')], max_length=10, verbose_name='sex'),
        ),
        migrations.AlterField(
            model_name='assessment',
            name='site_type',
            field=models.CharField(blank=True, choices=[('website', 'Website'), ('image_host', 'Image host'), ('forum', 'Forum'), ('cyberlocker', 'Cyberlocker'), ('social_network', 'Social network'), ('chat', 'Chat'), ('blog', 'Blog'), ('redirector', 'Redirector'), ('link_site', 'Link site'), ('banner_site', 'Banner site')], max_length=20, verbose_name='site type'),
        ),
        migrations.AlterField(
            model_name='assessment',
            name='started_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='started on'),
        ),
        migrations.AlterField(
            model_name='assessment',
            name='video_count',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='number of videos'),
        ),
        migrations.AlterField(
            model_name='schemeterm',
            name='scheme',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='terms', to='cases.classificationscheme', verbose_name='classification scheme'),
        ),
        migrations.AlterField(
            model_name='termmapping',
            name='scheme',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='mappings', to='cases.classificationscheme', verbose_name='classification scheme'),
        ),
        migrations.AlterField(
            model_name='termmapping',
            name='term',
            field=models.ForeignKey(blank=True, help_text='Empty: the grading does not decide it; an analyst chooses.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.schemeterm', verbose_name='term'),
        ),
        migrations.AlterField(
            model_name='urlcase',
            name='actioned_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='actioned on'),
        ),
        migrations.AlterField(
            model_name='urlcase',
            name='canonical_url',
            field=models.TextField(verbose_name='canonical URL'),
        ),
        migrations.AlterField(
            model_name='urlcase',
            name='claimed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='claimed on'),
        ),
        migrations.AlterField(
            model_name='urlcase',
            name='claimed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='claimed_cases', to=settings.AUTH_USER_MODEL, verbose_name='claimed by'),
        ),
        migrations.AlterField(
            model_name='urlcase',
            name='code',
            field=models.CharField(default=turntide.cases.models.case.new_case_code, max_length=20, unique=True, verbose_name='code'),
        ),
        migrations.AlterField(
            model_name='urlcase',
            name='created_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='opened on'),
        ),
        migrations.AlterField(
            model_name='urlcase',
            name='due_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='due by'),
        ),
        migrations.AlterField(
            model_name='urlcase',
            name='first_reported_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='first reported'),
        ),
        migrations.AlterField(
            model_name='urlcase',
            name='hosting_country',
            field=models.CharField(blank=True, max_length=2, verbose_name='hosting country'),
        ),
        migrations.AlterField(
            model_name='urlcase',
            name='immediate_danger',
            field=models.BooleanField(default=False, verbose_name='immediate danger'),
        ),
        migrations.AlterField(
            model_name='urlcase',
            name='imported_from',
            field=models.CharField(blank=True, max_length=64, verbose_name='imported from'),
        ),
        migrations.AlterField(
            model_name='urlcase',
            name='last_reported_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='last reported'),
        ),
        migrations.AlterField(
            model_name='urlcase',
            name='removed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='removed on'),
        ),
        migrations.AlterField(
            model_name='urlcase',
            name='report_count',
            field=models.PositiveIntegerField(default=0, verbose_name='reports'),
        ),
        migrations.AlterField(
            model_name='urlcase',
            name='source_confidence',
            field=models.FloatField(default=0.0, verbose_name='source confidence'),
        ),
        migrations.AlterField(
            model_name='urlcase',
            name='status',
            field=models.CharField(choices=[('new', 'Awaiting assessment'), ('verifying', 'Awaiting a second analyst'), ('disputed', 'Analysts disagree: awaiting a senior analyst'), ('assessed', 'Assessed, no action'), ('actioned', 'Criminal, awaiting removal'), ('removed', 'Removed')], default='new', max_length=20, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='urlcase',
            name='status_changed_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='status changed on'),
        ),
        migrations.AlterField(
            model_name='urlcase',
            name='url_key',
            field=models.CharField(max_length=64, unique=True, verbose_name='URL key'),
        ),
    ]
