"""The classification schemes as data: schemes, their terms, and the rules mapping a grading.

The rules' conditions are checked against the values Assessment stores, so the vocabulary of
what a rule may test lives here beside the models; cases.schemes reads schemes and translates.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from turntide.cases.models.case import Assessment

# Dimensions of the seeded schemes; an administrator may name others for a national scheme.
LEGAL_STATUS = "legal_status"
SEVERITY = "severity"
AGE = "age"
SELF_GENERATED = "self_generated"

# The default scheme's terms name values stored on Assessment, so their codes are those values.
DEFAULT_DIMENSION_FIELDS = {
    SEVERITY: "category",
    AGE: "age_group",
    SELF_GENERATED: "self_generated",
}
# Grading fields a mapping rule may test; booleans are tested as "yes" or "no".
CONDITION_FIELDS = (
    "outcome",
    "category",
    "age_group",
    "sex",
    "self_generated",
    "site_type",
    "media",
    "commercial",
    "multiple_children",
    "ai_generated",
)


class ClassificationScheme(models.Model):
    """A grading vocabulary: the UK scheme analysts record, or one a partner speaks."""

    code = models.SlugField(
        _("code"), max_length=20, unique=True, help_text=_("Short name used in referrals.")
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    is_default = models.BooleanField(
        _("default scheme"),
        default=False,
        help_text=_("The scheme analysts grade in; assessments store its term codes."),
    )

    class Meta:
        verbose_name = _("classification scheme")
        verbose_name_plural = _("classification schemes")
        ordering = ["-is_default", "name"]
        constraints = [
            # At most one default; its partial index serves the default-scheme lookup.
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="one_default_scheme",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SchemeTerm(models.Model):
    """A term of a scheme in one dimension, with the definition analysts see."""

    scheme = models.ForeignKey(
        ClassificationScheme,
        on_delete=models.CASCADE,
        verbose_name=_("classification scheme"),
        related_name="terms",
    )
    dimension = models.SlugField(
        _("dimension"), max_length=30, help_text=_("What it grades: legal_status, severity, age…")
    )
    code = models.SlugField(_("code"), max_length=30, help_text=_("Stable, used in referrals."))
    label = models.CharField(_("label"), max_length=100)
    definition = models.TextField(_("definition"), blank=True, help_text=_("Shown on screen."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("scheme term")
        verbose_name_plural = _("scheme terms")
        ordering = ["scheme", "dimension", "order", "code"]
        constraints = [
            # One code per dimension; its index serves terms(scheme, dimension).
            models.UniqueConstraint(
                fields=["scheme", "dimension", "code"], name="unique_scheme_term"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dimension}: {self.label}"

    def clean(self) -> None:
        field = DEFAULT_DIMENSION_FIELDS.get(self.dimension)
        if field and self.scheme_id is not None and self.scheme.is_default:
            allowed = [value for value, _label in stored_choices(field)]
            if self.code not in allowed:
                message = gettext("The default scheme stores this code; use one of: %(codes)s")
                raise ValidationError({"code": message % {"codes": ", ".join(allowed)}})


class TermMapping(models.Model):
    """A rule: an assessment whose grading meets `when` takes `term` in this dimension."""

    scheme = models.ForeignKey(
        ClassificationScheme,
        on_delete=models.CASCADE,
        verbose_name=_("classification scheme"),
        related_name="mappings",
    )
    dimension = models.SlugField(
        _("dimension"), max_length=30, blank=True, help_text=_("Taken from the term if empty.")
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Rules are tried in order; the first that matches wins.")
    )
    when = models.CharField(
        _("when"),
        max_length=300,
        blank=True,
        help_text=_(
            "Conditions on the grading, such as “outcome=criminal; category=A,B”; "
            "empty matches every assessment."
        ),
    )
    term = models.ForeignKey(
        SchemeTerm,
        on_delete=models.PROTECT,
        verbose_name=_("term"),
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the grading does not decide it; an analyst chooses."),
    )

    class Meta:
        verbose_name = _("mapping rule")
        verbose_name_plural = _("mapping rules")
        ordering = ["scheme", "dimension", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.dimension}: {self.when or '*'} -> {self.term.code if self.term else '?'}"

    def clean(self) -> None:
        try:
            parse_conditions(self.when)
        except ValidationError as error:
            raise ValidationError({"when": error.messages}) from None
        if self.term is None:
            if not self.dimension:
                raise ValidationError(
                    {"dimension": _("Name the dimension of a rule without term.")}
                )
            return
        self.dimension = self.dimension or self.term.dimension
        if self.term.dimension != self.dimension or (
            self.scheme_id is not None and self.term.scheme_id != self.scheme_id
        ):
            raise ValidationError({"term": _("Choose a term of this scheme and dimension.")})


def parse_conditions(text: str) -> dict[str, frozenset[str]]:
    """Read a rule's conditions, `field=value,value; field=value`, checking each name and value.

    Raises `ValidationError` naming the first unknown field or value.
    """
    conditions: dict[str, frozenset[str]] = {}
    for part in filter(None, (piece.strip() for piece in text.split(";"))):
        name, equals, values = (piece.strip() for piece in part.partition("="))
        if not equals or name not in CONDITION_FIELDS:
            raise ValidationError(
                gettext("“%(part)s”: write field=value, with a field among %(fields)s.")
                % {"part": part, "fields": ", ".join(CONDITION_FIELDS)}
            )
        wanted = frozenset(filter(None, (value.strip() for value in values.split(","))))
        allowed = _allowed_values(name)
        if not wanted or not wanted <= allowed:
            raise ValidationError(
                gettext("“%(part)s”: %(field)s takes %(values)s.")
                % {"part": part, "field": name, "values": ", ".join(sorted(allowed))}
            )
        conditions[name] = wanted
    return conditions


def stored_choices(name: str) -> list[tuple[str, str]]:
    """The values an Assessment field stores, with the model's labels."""
    field = Assessment._meta.get_field(name)
    if isinstance(field, models.BooleanField):
        return [("yes", gettext("Yes")), ("no", gettext("No"))]
    if not isinstance(field, models.Field):  # pragma: no cover - grading fields are fields
        return []
    return [(str(value), str(label)) for value, label in field.flatchoices]


def _allowed_values(name: str) -> frozenset[str]:
    return frozenset(value for value, _label in stored_choices(name))
