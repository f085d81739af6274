from django.db import migrations

from turntide.pattern_indexes import without_pattern_indexes


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_public_form_guidance_and_feedback")]

    operations = [without_pattern_indexes("reports", "Report", "reference")]
