"""The collection use case, once for every front end: the import window, the consolidation
window, `python -m app consolidate` and `python -m app import` call these functions and only
show what they return (and ask the questions they name).

- `screen(subs, period, register)`: which submissions may be used for a period — the period,
  the unit register (unknown units, another level, not active), one per unit (the newest).
- `read_files(paths, …)`: read and screen files; a file that fails for any reason is refused
  with its reason and the others go on.
- `prepare_import(paths, …, store)` → an `ImportPlan` saying what storing would do; the window
  asks about `plan.to_replace`, the command line follows `--replace`; `commit_import(plan, …)`
  stores (one transaction) and records the refusals for the board.
- `consolidate_stored(period, …, store)`: consolidate what the store holds for a period, screened
  by the same register rules as files.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.catalog import LEVEL_LABELS, Catalog, load_catalog
from app.consolidation import ConsolidationResult, Rejection, consolidate, dedupe
from app.errors import UserError
from app.intake import Submission, load_submission
from app.model import Period, Unit
from app.units import RegisteredUnit, find_unit

Progress = Callable[[int, int], None]


def screen(subs: Sequence[Submission], period: Period | None,
           register: Sequence[RegisteredUnit] | None) -> tuple[list[Submission], list[Rejection]]:
    """The submissions that may be used for `period`, and the others with their reasons.
    An empty register checks nothing (no register has been imported yet)."""
    kept: list[Submission] = []
    refused: list[Rejection] = []
    for s in subs:
        problem = _problem(s, period, register)
        if problem:
            refused.append(Rejection(s.file, [problem], unit=s.unit, period=s.period, path=s.path))
        else:
            kept.append(s)
    kept, superseded = dedupe(kept)
    return kept, refused + superseded


def _problem(s: Submission, period: Period | None,
             register: Sequence[RegisteredUnit] | None) -> str:
    if period is not None and s.period.key() != period.key():
        return f"số liệu của kỳ {s.period.title}, không phải kỳ đang tổng hợp ({period.title})."
    if not register:
        return ""
    ru = find_unit(list(register), s.unit.name, s.unit.code)
    if ru is None:
        return f"đơn vị “{s.unit.name}” không có trong danh sách đơn vị của tỉnh."
    if ru.level != s.unit.level:
        return (f"đơn vị “{s.unit.name}” là {ru.level_label.lower()} trong danh sách đơn vị, "
                f"nhưng tệp ghi cấp “{LEVEL_LABELS.get(s.unit.level, s.unit.level)}”.")
    if period is not None and not ru.active_in(period):
        return f"đơn vị “{s.unit.name}” không hoạt động trong {period.title} (theo danh sách đơn vị)."
    return ""


def read_one(path: str | os.PathLike[str], catalog: Catalog | None = None,
             accept_foreign: bool = False) -> Submission | Rejection:
    """One file: its submission, or a refusal naming the file and every reason.
    `accept_foreign`: an administrator accepts forms signed by another installation."""
    name = str(path)
    try:
        return load_submission(path, catalog, accept_foreign=accept_foreign)
    except UserError as exc:
        unit = getattr(exc, "unit", None)
        return Rejection(getattr(exc, "file", name) or name, exc.problems, unit=unit,
                         period=getattr(exc, "period", None), path=name,
                         foreign=bool(getattr(exc, "foreign", False)))
    except Exception as exc:  # noqa: BLE001 - one unreadable file must not stop the batch
        return Rejection(name, [f"không đọc được tệp ({type(exc).__name__}); tệp có thể bị hỏng."],
                         path=name)


def read_files(paths: Iterable[str | os.PathLike[str]], catalog: Catalog | None = None,
               progress: Progress | None = None, accept_foreign: bool = False
               ) -> tuple[list[Submission], list[Rejection]]:
    """Read every file; each refused file is named with its reasons, the others go on."""
    cat = catalog or load_catalog()
    paths = list(paths)
    subs: list[Submission] = []
    refused: list[Rejection] = []
    for n, p in enumerate(paths, 1):
        got = read_one(p, cat, accept_foreign)
        (subs if isinstance(got, Submission) else refused).append(got)  # type: ignore[arg-type]
        if progress:
            progress(n, len(paths))
    return subs, refused


def likely_period(subs: Sequence[Submission]) -> Period | None:
    """The period most submissions are for (a tie goes to the latest)."""
    from collections import Counter

    if not subs:
        return None
    counts = Counter(s.period.key() for s in subs)
    top = max(counts.values())
    best = max((s for s in subs if counts[s.period.key()] == top),
               key=lambda s: (s.period.report_year, s.period.window[1]))
    return best.period


def consolidate_files(paths: Iterable[str | os.PathLike[str]], period: Period | None = None,
                      unit: Unit | None = None, register: Sequence[RegisteredUnit] | None = None,
                      catalog: Catalog | None = None,
                      progress: Progress | None = None,
                      accept_foreign: bool = False) -> ConsolidationResult:
    """Read, screen and consolidate files (the `consolidate` command)."""
    cat = catalog or load_catalog()
    subs, refused = read_files(paths, cat, progress, accept_foreign)
    period = period or likely_period(subs)
    kept, screened_out = screen(subs, period, register)
    return _consolidate(kept, refused + screened_out, period, unit, cat)


def _consolidate(kept: list[Submission], refused: list[Rejection], period: Period | None,
                 unit: Unit | None, cat: Catalog) -> ConsolidationResult:
    if not kept or period is None:
        return ConsolidationResult(None, [], refused)
    result = consolidate(kept, period, unit, cat)
    result.rejected = refused + result.rejected
    if result.report is not None and result.rejected:
        result.report.raw["consolidation"]["rejected"] = [
            {"file": r.file, "reason": r.reason} for r in result.rejected]
    return result


# ------------------------------------------------------------------------------ the store


@dataclass
class ImportPlan:
    """What importing a batch would do, before anything is written."""

    period: Period
    accepted: list[Submission] = field(default_factory=list)
    refused: list[Rejection] = field(default_factory=list)
    checks: list[Any] = field(default_factory=list)  # app.history.AddResult per accepted

    @property
    def to_replace(self) -> list[Any]:
        """Units that already have an older submission of the period: ask before replacing."""
        return [c for c in self.checks if c.status == "would_replace"]


@dataclass
class ImportResult:
    period: Period
    stored: list[Any] = field(default_factory=list)  # app.history.AddResult
    refused: list[Rejection] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return sum(1 for r in self.stored if r.status in ("added", "replaced"))

    def summary(self) -> str:
        from app.formatting import format_count

        return (f"Đã nhận {format_count(self.imported)} tệp; từ chối "
                f"{format_count(len(self.refused))} tệp.")


def _store(store: Any):  # noqa: ANN202 - a context manager giving an app.history.History
    from contextlib import nullcontext

    from app.history import History

    return nullcontext(store) if store is not None else History()


def prepare_import(paths: Iterable[str | os.PathLike[str]], period: Period,
                   register: Sequence[RegisteredUnit] | None, store: Any = None,
                   catalog: Catalog | None = None, progress: Progress | None = None,
                   accept_foreign: bool = False) -> ImportPlan:
    """Read and screen the files, and check each against the store (nothing is written)."""
    subs, refused = read_files(paths, catalog, progress, accept_foreign)
    return plan_import(subs, refused, period, register, store)


def plan_import(subs: Sequence[Submission], refused: Sequence[Rejection], period: Period,
                register: Sequence[RegisteredUnit] | None, store: Any = None) -> ImportPlan:
    kept, screened_out = screen(subs, period, register)
    with _store(store) as h:
        checks = h.check_many(kept)  # one read of the store for the batch
    return ImportPlan(period, kept, list(refused) + screened_out, checks)


def commit_import(plan: ImportPlan, replace: bool | Iterable[str] = False,
                  store: Any = None) -> ImportResult:
    """Store the accepted submissions in one transaction; `replace`: True for every unit that
    already has a submission, or the unit keys the user agreed to replace. Refusals are
    recorded, so the board shows them."""
    # True: whatever another specialist stored since the plan was made is replaced too (the
    # store still never lets an older file replace a newer one)
    keys = ({s.key for s in plan.accepted} if replace is True
            else set(replace) if replace else set())
    with _store(store) as h:  # submissions and refusals in one transaction
        stored = h.add_submissions(plan.accepted, keys, refused=plan.refused, period=plan.period)
    return ImportResult(plan.period, stored, list(plan.refused))


def consolidate_stored(period: Period, register: Sequence[RegisteredUnit] | None,
                       unit: Unit | None = None, store: Any = None,
                       catalog: Catalog | None = None) -> ConsolidationResult:
    """Consolidate the stored submissions of a period, screened by the register exactly as
    files are, and keep the result in the store."""
    cat = catalog or load_catalog()
    with _store(store) as h:
        subs: list[Submission] = list(h.submissions(period))
        kept, refused = screen(subs, period, register)
        result = _consolidate(kept, refused, period, unit, cat)
        if result.report is not None:
            h.save_report(result.report)
    return result
