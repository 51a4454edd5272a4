"""The indicator catalogue: indicators, areas, derived indicators, rules, outline sections, targets.

Everything is read once from the data files beside this module; adding an indicator or a rule is a
data change. The catalogue drives the form, the validator, the annex, the template field list and
the intake workbook.
"""

from __future__ import annotations

import csv
from functools import cache, cached_property
from pathlib import Path
from typing import NamedTuple

from app.errors import UserError
from app.vocabulary import LEVEL_LABELS, LEVELS  # noqa: F401 - re-exported

DATA_DIR = Path(__file__).resolve().parent

UNITS = ("count", "percent", "money_vnd", "score", "rank", "year")
UNIT_LABELS = {
    "count": "Số lượng",
    "percent": "%",
    "money_vnd": "Đồng",
    "score": "Điểm",
    "rank": "Thứ hạng",
    "year": "Năm",
}
SEVERITIES = ("error", "warning", "info")


class Indicator(NamedTuple):
    key: str
    area: str
    label: str
    unit: str
    levels: tuple[str, ...]
    weight: str | None = None
    notes: str = ""
    measure: str = ""  # what is counted, as a reader says it: "hồ sơ", "thủ tục", "%", "điểm"…
    by_level: bool = False  # also given per level of local government (Report.by_level)

    @property
    def is_integer(self) -> bool:
        return self.unit in ("count", "money_vnd", "rank", "year")

    @property
    def unit_label(self) -> str:
        """The unit of measure as the form, the annex and the intake workbook show it."""
        return self.measure or UNIT_LABELS[self.unit]


class Area(NamedTuple):
    key: str
    section: str
    label: str
    heading: str


DERIVED_KINDS = ("percent", "rank_change", "difference", "group")


class Derived(NamedTuple):
    """A derived indicator (rules.md): `percent` numerator / denominator × 100; `rank_change`
    previous rank − rank; `difference` numerator − denominator (a score change); `group` the
    PAR INDEX group named from the score in `numerator` (no denominator)."""

    key: str
    area: str
    label: str
    kind: str  # one of DERIVED_KINDS
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    # the numerator used when `numerator` is not reported (the combined on-time figure)
    numerator_otherwise: tuple[str, ...] = ()
    # the entered indicator that states the same figure (one online rate per report)
    entered_as: str | None = None
    measure: str = ""

    @property
    def operands(self) -> tuple[str, ...]:
        return self.numerator + self.denominator

    @property
    def all_operands(self) -> tuple[str, ...]:
        """Every indicator the value can be computed from (either numerator)."""
        return self.numerator + self.numerator_otherwise + self.denominator

    @property
    def unit_label(self) -> str:
        return self.measure or ("%" if self.kind == "percent" else "")


RULE_KINDS = ("compare", "empty_two_tier", "entered_rate")
RULE_MISSING = ("skip", "zero_two_tier", "zero_optional")


class Rule(NamedTuple):
    id: str
    kind: str  # one of RULE_KINDS
    severity: str
    left: tuple[str, ...] = ()
    op: str = ""
    right: tuple[str, ...] = ()
    missing: str = "skip"
    zero_fields: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    tolerance: float = 0.0  # how far the two sides may differ and still agree

    @property
    def operands(self) -> tuple[str, ...]:
        return self.left + self.right + self.fields


class Section(NamedTuple):
    key: str
    heading: str
    hint: str


class Target(NamedTuple):
    id: str
    key: str
    comparator: str
    value: float
    from_year: int
    to_year: int
    source: str


class Bounds(NamedTuple):
    """How large a figure may be: above `physical_max` it cannot be true (refused when a file is
    read, an error when typed); above `plausible_max` it is most likely a slip (a warning)."""

    physical_max: float
    plausible_max: float


# a figure the catalogue does not know (a key from a newer version, a derived rate typed in)
GENERIC_BOUNDS = Bounds(10.0**16, 10.0**16)


class Catalog:
    """Everything the data files say, read once by `load_catalog()` and shared; never changed."""

    def __init__(self, *, areas: tuple[Area, ...], indicators: dict[str, Indicator],
                 derived: dict[str, Derived], rules: tuple[Rule, ...],
                 sections: tuple[Section, ...], targets: tuple[Target, ...],
                 by_area: dict[str, tuple[Indicator, ...]], bounds: dict[str, Bounds] | None = None):
        self.areas = areas
        self.indicators = indicators
        self.derived = derived
        self.rules = rules
        self.sections = sections
        self.targets = targets
        self.by_area = by_area
        self.bounds: dict[str, Bounds] = bounds or {}

    def bounds_for(self, key: str) -> Bounds:
        """The bounds of a figure in `values` (bounds.tsv; a derived rate has the percent ones)."""
        found = self.bounds.get(key)
        if found is not None:
            return found
        d = self.derived.get(key)
        if d is not None and d.kind == "percent":
            return self.bounds.get("unit:percent", GENERIC_BOUNDS)
        return GENERIC_BOUNDS

    @cached_property
    def version(self) -> str:
        """A fingerprint of the data files (intake workbooks and annexes carry it); computed when
        first asked for, so that start-up does not load hashlib."""
        import hashlib

        digest = hashlib.sha256()
        for name in ("indicators.tsv", "areas.tsv", "derived.tsv", "rules.tsv", "targets.tsv",
                     "bounds.tsv"):
            digest.update((DATA_DIR / name).read_bytes())
        return digest.hexdigest()[:12]

    @cached_property
    def level_keys(self) -> tuple[str, ...]:
        """The indicators a report gives per level of local government (`by_level`): the
        dossier block and the TTHC counts, in catalogue order."""
        return tuple(k for k, ind in self.indicators.items() if ind.by_level)

    @cached_property
    def split_forms(self) -> dict[str, Derived]:
        """An indicator that is part of a numerator with a combined alternative (ho_so_truoc_han,
        ho_so_dung_han), or that alternative itself (ho_so_truoc_va_dung_han) → the derived
        indicator that names both forms (ty_le_giai_quyet_dung_han)."""
        out: dict[str, Derived] = {}
        for d in self.derived.values():
            if d.numerator_otherwise:
                for k in d.numerator + d.numerator_otherwise:
                    out[k] = d
        return out

    @cached_property
    def entered_forms(self) -> dict[str, Derived]:
        """An entered indicator that states a derived figure (cps_ty_le_ho_so_truc_tuyen) →
        that derived indicator (ty_le_tiep_nhan_truc_tuyen): one figure per report."""
        return {d.entered_as: d for d in self.derived.values() if d.entered_as}

    def measure(self, key: str) -> str:
        """The unit of measure of an indicator or derived indicator ("hồ sơ", "%", "bậc")."""
        if key in self.indicators:
            return self.indicators[key].unit_label
        if key in self.derived:
            return self.derived[key].unit_label
        return ""

    def label(self, key: str) -> str:
        if key in self.indicators:
            return self.indicators[key].label
        if key in self.derived:
            return self.derived[key].label
        return key

    def area(self, key: str) -> Area:
        for a in self.areas:
            if a.key == key:
                return a
        raise KeyError(key)

    def for_level(self, level: str) -> list[Indicator]:
        return [i for i in self.indicators.values() if level in i.levels]


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def _split(text: str, sep: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(sep) if p.strip())


class CatalogError(UserError, ValueError):
    pass


@cache
def load_catalog() -> Catalog:
    """Read the catalogue data files once and check that they are consistent."""
    areas = tuple(
        Area(r["key"], r["roman_section"], r["label_vi"], r["heading_vi"]) for r in _rows("areas.tsv")
    )
    area_keys = {a.key for a in areas}
    indicators: dict[str, Indicator] = {}
    for r in _rows("indicators.tsv"):
        ind = Indicator(
            key=r["key"],
            area=r["area"],
            label=r["label_vi"],
            unit=r["unit"],
            levels=_split(r["levels"], ","),
            weight=r["weight"] or None,
            notes=r["notes"] or "",
            measure=(r.get("measure") or "").strip(),
            by_level=bool((r.get("by_level") or "").strip()),
        )
        if (ind.area not in area_keys or ind.unit not in UNITS or ind.key in indicators
                or not ind.measure):
            raise CatalogError(f"indicators.tsv: bad row {ind.key}")
        indicators[ind.key] = ind
    derived: dict[str, Derived] = {}
    for r in _rows("derived.tsv"):
        d = Derived(
            r["key"], r["area"], r["label_vi"], r["kind"],
            _split(r["numerator"], "+"), _split(r["denominator"], "+"),
            _split(r.get("numerator_otherwise") or "", "+"), (r.get("entered_as") or "").strip() or None,
            (r.get("measure") or "").strip(),
        )
        if d.kind not in DERIVED_KINDS or d.key in derived or d.key in indicators:
            raise CatalogError(f"derived.tsv: bad row {d.key}")
        derived[d.key] = d
    # rules.tsv: the cross-field rules of shared/domain/rules.md, one a row; lists are "+"-joined.
    #   kind compare: sum(left) <op> sum(right); `missing` says what happens when an operand is
    #     blank: skip (the rule is not checked), zero_two_tier (the keys in zero_fields count as
    #     0 for periods from 1/7/2025, when there is no district level) or zero_optional (the keys
    #     in zero_fields are an optional part: blank counts as 0, R17's returned dossiers);
    #   kind empty_two_tier: `fields` must stay blank for periods from 1/7/2025;
    #   kind entered_rate: a typed derived percentage agrees with its counts (R24);
    #   tolerance: how far the sides may differ (R24 0,01 point, R28 0,05 point).
    rules = tuple(
        Rule(
            id=r["id"], kind=r["kind"], severity=r["severity"],
            left=_split(r["left"], "+"), op=r["op"], right=_split(r["right"], "+"),
            missing=r["missing"] or "skip", zero_fields=_split(r["zero_fields"], "+"),
            fields=_split(r["fields"], "+"), tolerance=float(r.get("tolerance") or 0),
        )
        for r in _rows("rules.tsv")
    )
    sections = tuple(Section(r["key"], r["heading_vi"], r["hint_vi"]) for r in _rows("sections.tsv"))
    targets = tuple(
        Target(r["id"], r["key"], r["comparator"], float(r["value"]), int(r["from_year"]),
               int(r["to_year"]), r["source_vi"])
        for r in _rows("targets.tsv")
    )
    known = set(indicators) | set(derived)
    for d in derived.values():
        if not set(d.all_operands) <= set(indicators) or (
                d.entered_as is not None and d.entered_as not in indicators):
            raise CatalogError(f"derived.tsv: {d.key} names an unknown indicator")
    for rule in rules:
        if (not set(rule.operands) <= set(indicators) or rule.severity not in SEVERITIES
                or rule.kind not in RULE_KINDS or rule.missing not in RULE_MISSING):
            raise CatalogError(f"rules.tsv: {rule.id} is inconsistent")
    for t in targets:
        if t.key not in known:
            raise CatalogError(f"targets.tsv: {t.id} names an unknown indicator")
    by_area = {a.key: tuple(i for i in indicators.values() if i.area == a.key) for a in areas}
    return Catalog(
        areas=areas, indicators=indicators, derived=derived,
        rules=rules, sections=sections, targets=targets, by_area=by_area,
        bounds=_bounds(indicators),
    )


def _bounds(indicators: dict[str, Indicator]) -> dict[str, Bounds]:
    """bounds.tsv: one row per scope — "unit:<unit>" the defaults of an indicator unit, a key,
    or a key prefix ending in "*" (applies to the count indicators it matches; the longest
    prefix wins; an exact key wins over any prefix). Every indicator gets its bounds here."""
    by_unit: dict[str, Bounds] = {}
    exact: dict[str, Bounds] = {}
    prefixes: list[tuple[str, Bounds]] = []
    for r in _rows("bounds.tsv"):
        scope = r["scope"].strip()
        try:
            b = Bounds(float(r["physical_max"]), float(r["plausible_max"]))
        except ValueError:
            raise CatalogError(f"bounds.tsv: {scope}: numbers expected") from None
        if not 0 < b.plausible_max <= b.physical_max <= GENERIC_BOUNDS.physical_max:
            raise CatalogError(f"bounds.tsv: {scope}: need 0 < plausible_max <= physical_max <= 1e16")
        if scope.startswith("unit:"):
            if scope[5:] not in UNITS:
                raise CatalogError(f"bounds.tsv: {scope}: unknown unit")
            by_unit[scope[5:]] = b
        elif scope.endswith("*"):
            if not any(k.startswith(scope[:-1]) for k in indicators):
                raise CatalogError(f"bounds.tsv: {scope} matches no indicator")
            prefixes.append((scope[:-1], b))
        elif scope in indicators:
            exact[scope] = b
        else:
            raise CatalogError(f"bounds.tsv: {scope} names an unknown indicator")
    if set(by_unit) != set(UNITS):
        raise CatalogError(f"bounds.tsv: defaults missing for {sorted(set(UNITS) - set(by_unit))}")
    prefixes.sort(key=lambda p: -len(p[0]))
    out: dict[str, Bounds] = {f"unit:{u}": b for u, b in by_unit.items()}
    for key, ind in indicators.items():
        b = exact.get(key)
        if b is None and ind.unit == "count":
            b = next((pb for prefix, pb in prefixes if key.startswith(prefix)), None)
        out[key] = b or by_unit[ind.unit]
    return out
