"""Classification schemes: the UK grading by default, INHOPE's vocabulary beside it, as data."""

from __future__ import annotations

import importlib

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.test import Client

from turntide.cases.models import Assessment
from turntide.cases.schemes import (
    NOT_MAPPABLE,
    ClassificationScheme,
    SchemeTerm,
    Term,
    TermMapping,
    describe,
    parse_conditions,
    self_generated_label,
    terms,
    translate,
)

pytestmark = pytest.mark.django_db

MIGRATION = "0004_classification_schemes"


def seed_again() -> None:
    """Run the data migration's seeding once more, on the models as that migration knew them."""
    migration = importlib.import_module(f"turntide.cases.migrations.{MIGRATION}")
    state = MigrationLoader(connection).project_state(("cases", MIGRATION))
    migration.seed_schemes(state.apps, None)


def grading(outcome: str = "criminal", **fields: object) -> Assessment:
    return Assessment(outcome=outcome, **fields)


def counts() -> tuple[int, int, int]:
    return (
        ClassificationScheme.objects.count(),
        SchemeTerm.objects.count(),
        TermMapping.objects.count(),
    )


def test_the_migration_seeds_the_uk_scheme_as_default_and_inhope_beside_it() -> None:
    assert list(ClassificationScheme.objects.values_list("code", "is_default")) == [
        ("uk", True),
        ("inhope", False),
    ]
    assert [t.code for t in terms("inhope", "legal_status")] == [
        "baseline",
        "nationally_illegal",
        "not_illegal",
    ]
    assert [t.code for t in terms("inhope", "age")] == ["infant", "pre_pubescent", "pubescent"]
    assert [t.code for t in terms("uk", "age")] == [v for v, _label in Assessment.AgeGroup.choices]


@pytest.mark.parametrize(
    ("fields", "legal_status", "age"),
    [
        ({"category": "A", "age_group": "0-2"}, "baseline", "infant"),
        ({"category": "B", "age_group": "7-10"}, "baseline", "pre_pubescent"),
        ({"category": "C", "age_group": "3-6"}, NOT_MAPPABLE, "pre_pubescent"),
        ({"category": "A", "age_group": "11-13"}, NOT_MAPPABLE, NOT_MAPPABLE),
        ({"category": "A", "age_group": "14-15"}, "nationally_illegal", "pubescent"),
        ({"category": "C", "age_group": "16-17"}, "nationally_illegal", "pubescent"),
        (
            {"category": "A", "age_group": "3-6", "ai_generated": True},
            NOT_MAPPABLE,
            "pre_pubescent",
        ),
        (
            {"outcome": "criminal_non_photographic", "age_group": "3-6"},
            "nationally_illegal",
            "pre_pubescent",
        ),
        ({"outcome": "not_illegal", "age_group": "16-17"}, "not_illegal", "pubescent"),
    ],
)
def test_inhope_terms_follow_from_the_uk_grading(
    fields: dict[str, object], legal_status: str, age: str
) -> None:
    assert translate(grading(**fields), "inhope") == {"legal_status": legal_status, "age": age}


def test_a_criminal_grading_without_an_age_leaves_both_inhope_terms_to_the_analyst() -> None:
    assert translate(grading(category="A"), "inhope") == {"legal_status": NOT_MAPPABLE}


def test_an_outcome_that_judges_no_legality_has_no_inhope_legal_status() -> None:
    assert translate(grading("unavailable"), "inhope") == {}
    assert translate(grading("duplicate", age_group="0-2"), "inhope") == {"age": "infant"}


def test_the_uk_scheme_translates_to_the_stored_values() -> None:
    assessment = grading(category="B", age_group="11-13", self_generated="yes")
    assert translate(assessment, "uk") == {
        "severity": "B",
        "age": "11-13",
        "self_generated": "yes",
    }


def test_describe_gives_labels_and_definitions_for_a_referral() -> None:
    described = describe(grading(category="A", age_group="0-2"), "inhope")
    assert described["legal_status"] is not None
    assert described["legal_status"].label == "Baseline"
    assert "illegal in every country" in described["legal_status"].definition
    assert describe(grading(category="C", age_group="0-2"), "inhope")["legal_status"] is None


def test_the_assessment_form_gets_each_category_with_its_definition() -> None:
    severity = terms(None, "severity")
    assert [(t.code, t.label) for t in severity] == [
        ("A", "Category A"),
        ("B", "Category B"),
        ("C", "Category C"),
    ]
    assert severity[1].definition == "Images involving non-penetrative sexual activity."


def test_an_unknown_scheme_is_an_error() -> None:
    with pytest.raises(ClassificationScheme.DoesNotExist):
        translate(grading(), "nowhere")
    with pytest.raises(ClassificationScheme.DoesNotExist):
        terms("nowhere", "age")


def test_seeding_again_adds_nothing_and_keeps_the_administrator_s_edits() -> None:
    before = counts()
    SchemeTerm.objects.filter(scheme__code="uk", dimension="self_generated").update(
        label="Remote-captured"
    )
    TermMapping.objects.filter(scheme__code="inhope", when="age_group=11-13").update(
        term=SchemeTerm.objects.get(scheme__code="inhope", code="pre_pubescent")
    )
    seed_again()
    assert counts() == before
    assert self_generated_label() == "Remote-captured"
    assert translate(grading(category="A", age_group="11-13"), "inhope")["age"] == "pre_pubescent"


def test_seeding_an_emptied_database_restores_the_shipped_schemes() -> None:
    before = counts()
    TermMapping.objects.all().delete()
    SchemeTerm.objects.all().delete()
    ClassificationScheme.objects.all().delete()
    seed_again()
    assert counts() == before
    assert ClassificationScheme.objects.get(is_default=True).code == "uk"


def test_the_self_generated_label_is_configurable() -> None:
    assert self_generated_label() == "Self-generated"
    term = SchemeTerm.objects.get(scheme__is_default=True, dimension="self_generated")
    term.label = "Coerced online"
    term.save()
    assert self_generated_label() == "Coerced online"
    assert terms(None, "self_generated")[0].label == "Coerced online"


def test_without_saved_schemes_the_model_s_own_labels_stand_in() -> None:
    TermMapping.objects.all().delete()
    SchemeTerm.objects.all().delete()
    ClassificationScheme.objects.all().delete()
    assert self_generated_label() == "Self-generated"
    assert terms(None, "severity")[0] == Term("A", str(Assessment.Category.A.label))
    assert terms(None, "legal_status") == []


def test_only_one_scheme_is_the_default() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        ClassificationScheme.objects.create(code="other", name="Other", is_default=True)


@pytest.mark.parametrize(
    "when",
    ["colour=red", "category=D", "outcome", "age_group=", "category=A; notes=x"],
)
def test_a_rule_names_real_grading_fields_and_values(when: str) -> None:
    with pytest.raises(ValidationError):
        parse_conditions(when)
    rule = TermMapping(scheme=ClassificationScheme.objects.get(code="inhope"), dimension="age")
    rule.when = when
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert "when" in error.value.message_dict


def test_a_rule_reads_fields_values_and_flags() -> None:
    assert parse_conditions(" outcome = criminal ; category=A, B;ai_generated=no ") == {
        "outcome": frozenset({"criminal"}),
        "category": frozenset({"A", "B"}),
        "ai_generated": frozenset({"no"}),
    }
    assert parse_conditions("") == {}


def test_a_rule_chooses_a_term_of_its_own_scheme_and_dimension() -> None:
    inhope = ClassificationScheme.objects.get(code="inhope")
    category_a = SchemeTerm.objects.get(scheme__code="uk", code="A")
    with pytest.raises(ValidationError):
        TermMapping(scheme=inhope, when="category=A", term=category_a).full_clean()
    infant = SchemeTerm.objects.get(scheme=inhope, code="infant")
    with pytest.raises(ValidationError):
        TermMapping(scheme=inhope, dimension="legal_status", term=infant).full_clean()
    rule = TermMapping(scheme=inhope, when="age_group=0-2", term=infant)
    rule.full_clean()
    assert rule.dimension == "age"  # taken from the term


def test_the_default_scheme_s_terms_keep_the_stored_codes() -> None:
    uk = ClassificationScheme.objects.get(code="uk")
    with pytest.raises(ValidationError):
        SchemeTerm(scheme=uk, dimension="severity", code="D", label="Category D").full_clean()
    other = ClassificationScheme.objects.get(code="inhope")
    SchemeTerm(scheme=other, dimension="severity", code="D", label="Category D").full_clean()


def test_an_administrator_adds_a_national_scheme_without_code(
    client: Client, administrator: object
) -> None:
    client.force_login(administrator)  # type: ignore[arg-type]
    page = client.get("/admin/cases/classificationscheme/add/")
    assert page.status_code == 200
    assert len(page.context["inline_admin_formsets"]) == 1  # terms first, rules once saved
    terms_form = {
        "terms-TOTAL_FORMS": "2",
        "terms-INITIAL_FORMS": "0",
        "terms-0-dimension": "legal_status",
        "terms-0-order": "1",
        "terms-0-code": "illegal",
        "terms-0-label": "Illegal here",
        "terms-0-definition": "Illegal under this country's law.",
        "terms-1-dimension": "legal_status",
        "terms-1-order": "2",
        "terms-1-code": "legal",
        "terms-1-label": "Legal here",
    }
    response = client.post(
        "/admin/cases/classificationscheme/add/",
        {"code": "national", "name": "National scheme", "description": "", **terms_form},
    )
    assert response.status_code == 302
    scheme = ClassificationScheme.objects.get(code="national")
    assert not scheme.is_default
    assert [t.label for t in terms("national", "legal_status")] == ["Illegal here", "Legal here"]

    change = f"/admin/cases/classificationscheme/{scheme.pk}/change/"
    assert len(client.get(change).context["inline_admin_formsets"]) == 2
    illegal = SchemeTerm.objects.get(scheme=scheme, code="illegal")
    response = client.post(
        change,
        {
            "name": "National scheme",
            "description": "",
            "terms-TOTAL_FORMS": "0",
            "terms-INITIAL_FORMS": "0",
            "mappings-TOTAL_FORMS": "2",
            "mappings-INITIAL_FORMS": "0",
            "mappings-0-order": "1",
            "mappings-0-when": "outcome=criminal,criminal_non_photographic",
            "mappings-0-term": str(illegal.pk),
            "mappings-1-order": "2",
            "mappings-1-dimension": "legal_status",
            "mappings-1-when": "outcome=not_illegal",
            "mappings-1-term": "",
        },
    )
    assert response.status_code == 302
    assert translate(grading(category="C"), "national") == {"legal_status": "illegal"}
    assert translate(grading("not_illegal"), "national") == {"legal_status": NOT_MAPPABLE}


def test_the_admin_refuses_a_rule_with_a_bad_condition(
    client: Client, administrator: object
) -> None:
    client.force_login(administrator)  # type: ignore[arg-type]
    inhope = ClassificationScheme.objects.get(code="inhope")
    response = client.post(
        f"/admin/cases/classificationscheme/{inhope.pk}/change/",
        {
            "name": inhope.name,
            "terms-TOTAL_FORMS": "0",
            "terms-INITIAL_FORMS": "0",
            "mappings-TOTAL_FORMS": "1",
            "mappings-INITIAL_FORMS": "0",
            "mappings-0-dimension": "age",
            "mappings-0-order": "9",
            "mappings-0-when": "age_group=18-99",
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert "age_group takes" in response.content.decode()
    assert not TermMapping.objects.filter(scheme=inhope, order=9).exists()


def test_the_default_scheme_cannot_be_deleted(client: Client, administrator: object) -> None:
    client.force_login(administrator)  # type: ignore[arg-type]
    uk = ClassificationScheme.objects.get(code="uk")
    assert client.get(f"/admin/cases/classificationscheme/{uk.pk}/delete/").status_code == 403


def test_an_analyst_cannot_edit_the_schemes(client: Client, analyst: object) -> None:
    client.force_login(analyst)  # type: ignore[arg-type]
    response = client.get("/admin/cases/classificationscheme/", follow=True)
    assert response.status_code == 403


def test_a_term_that_a_rule_uses_cannot_be_deleted_in_the_admin(
    client: Client, administrator: object
) -> None:
    client.force_login(administrator)  # type: ignore[arg-type]
    inhope = ClassificationScheme.objects.get(code="inhope")
    form: dict[str, str] = {"name": inhope.name, "description": inhope.description}
    existing = list(SchemeTerm.objects.filter(scheme=inhope))
    form |= {"terms-TOTAL_FORMS": str(len(existing)), "terms-INITIAL_FORMS": str(len(existing))}
    for n, term in enumerate(existing):
        for name in ("id", "dimension", "order", "code", "label", "definition"):
            form[f"terms-{n}-{name}"] = str(getattr(term, name))
        if term.code == "baseline":
            form[f"terms-{n}-DELETE"] = "on"
    form |= {"mappings-TOTAL_FORMS": "0", "mappings-INITIAL_FORMS": "0"}
    response = client.post(f"/admin/cases/classificationscheme/{inhope.pk}/change/", form)
    assert response.status_code == 200  # the form again, explaining why not
    assert "protected related objects" in response.content.decode()
    assert SchemeTerm.objects.filter(scheme=inhope, code="baseline").exists()
