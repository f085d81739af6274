from django.db import migrations

from turntide.pattern_indexes import without_pattern_indexes


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_imported_cases_and_statistics_indexes")]

    operations = [without_pattern_indexes("cases", "URLCase", "url_key", "code")]
