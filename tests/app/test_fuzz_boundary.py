"""Fuzzing the boundary: mutated report files and random field texts driven through loading,
validation, the Word context, saving and export. Only the user-facing error family
(app.errors.UserError) may ever come out; anything else is a crash.

Fixed seeds and bounded example counts keep the run near a minute in CI. A longer run:
`CCHC_FUZZ_EXAMPLES=100000 python3 -m pytest -q tests/app/test_fuzz_boundary.py -k mutated`.
"""

from __future__ import annotations

import copy
import json
import math
import os

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from app.errors import UserError
from app.export import export_report
from app.export.context import build_context
from app.sample import sample_report
from app.storage import load_report, save_report
from app.validation import validate

BASE = sample_report().to_dict()
EXAMPLES = int(os.environ.get("CCHC_FUZZ_EXAMPLES", "3500"))
EXPORT_EXAMPLES = int(os.environ.get("CCHC_FUZZ_EXPORT_EXAMPLES", "45"))


def _paths(obj, prefix=()):
    """Every place in the report dict a mutation may hit."""
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, prefix + (i,))


PATHS = [p for p in _paths(BASE) if p]

texts = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["\ud800", "a\udfffb", "", " ", "=1+1", "<w:t>", "{{ x }}", "{% for %}",
                     "&amp;", "\x00", "٣٤", "１２", "1e308", "NaN", "Infinity", "x" * 300_000]),
)
numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([10**400, -(10**400), 10**28, 10**16, 10**12 + 1, 2**63, 2**64]),
    st.floats(allow_nan=True, allow_infinity=True),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, texts)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)


def _deep(depth: int):
    out: object = {"x": 1}
    for _ in range(depth):
        out = {"k": out}
    return out


mutation = st.one_of(
    st.tuples(st.just("set"), st.sampled_from(PATHS), values),
    st.tuples(st.just("delete"), st.sampled_from(PATHS), st.none()),
    st.tuples(st.just("value"), st.sampled_from(sorted(BASE["values"])), values),
    st.tuples(st.just("unknown"), st.text(min_size=1, max_size=10), values),
    st.tuples(st.just("deep"), st.integers(min_value=1, max_value=1200), st.none()),
    st.tuples(st.just("sources"), st.none(), values),
)


def _apply(data: dict, m) -> dict:
    kind, where, new = m
    if kind in ("set", "delete"):
        *head, last = where
        target = data
        for part in head:
            try:
                target = target[part]
            except (KeyError, IndexError, TypeError):
                return data
        try:
            if kind == "set":
                target[last] = new
            else:
                del target[last]
        except (KeyError, IndexError, TypeError):
            pass
    elif kind == "value":
        if isinstance(data.get("values"), dict):
            data["values"][where] = new
        else:
            data["values"] = {where: new}
    elif kind == "unknown":
        data[where] = new
    elif kind == "deep":
        data["tuong_lai"] = _deep(where)
    elif kind == "sources":
        data["sources"] = new
    return data


def _dump(data) -> bytes:
    try:
        return json.dumps(data, ensure_ascii=False, allow_nan=True).encode("utf-8", "surrogatepass")
    except (RecursionError, ValueError):
        return b"{"


byte_edit = st.one_of(
    st.tuples(st.just("truncate"), st.floats(min_value=0, max_value=1), st.just(b"")),
    st.tuples(st.just("insert"), st.floats(min_value=0, max_value=1), st.binary(min_size=1, max_size=8)),
    st.tuples(st.just("none"), st.just(0.0), st.just(b"")),
)


def _edit_bytes(raw: bytes, e) -> bytes:
    kind, at, blob = e
    pos = int(at * len(raw))
    if kind == "truncate":
        return raw[:pos]
    if kind == "insert":
        return raw[:pos] + blob + raw[pos:]
    return raw


_RUN = {"cases": 0}


def _count() -> None:
    """A long run writes how many cases it has driven (CCHC_FUZZ_COUNT_FILE), for the note."""
    _RUN["cases"] += 1
    target = os.environ.get("CCHC_FUZZ_COUNT_FILE")
    if target and _RUN["cases"] % 500 == 0:
        with open(target, "w", encoding="utf-8") as f:
            f.write(f"{_RUN['cases']}\n")


def _folder(factory, name: str):
    folder = factory.getbasetemp() / name
    folder.mkdir(exist_ok=True)
    return folder


def _pipeline(path, out_dir) -> None:
    """What the window and the command line do with a file, up to writing it again."""
    try:
        report = load_report(path)
    except UserError:
        return
    findings = validate(report, report)
    assert all(f.severity in ("error", "warning", "info") for f in findings)
    ctx = build_context(report, previous=report, draft=True)
    assert isinstance(ctx, dict)
    for v in report.values.values():
        assert math.isfinite(v)
    try:
        save_report(report, out_dir / "saved.cchc.json")
    except UserError:
        return
    again = load_report(out_dir / "saved.cchc.json")  # what was saved opens again
    assert again.values == report.values


@seed(20261128)
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(st.lists(mutation, min_size=1, max_size=4), byte_edit)
def test_mutated_report_files_only_ever_give_user_errors(tmp_path_factory, mutations, edit):
    folder = _folder(tmp_path_factory, "fuzz")  # one folder reused: 100,000 runs fill no disk
    data = copy.deepcopy(BASE)
    for m in mutations:
        data = _apply(data, m)
    path = folder / "x.cchc.json"
    path.write_bytes(_edit_bytes(_dump(data), edit))
    _count()
    try:
        _pipeline(path, folder)
    except UserError:
        pass


field = st.sampled_from([
    ("unit", "name"), ("unit", "code"), ("document", "place"), ("document", "symbol"),
    ("signer", "name"), ("signer", "position"), ("narrative", "the_che"), ("explanations", "R02"),
    ("to", 0), ("distribution", 0),
])


@seed(11)
@settings(max_examples=EXPORT_EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(field, texts), min_size=1, max_size=4))
def test_random_field_texts_save_and_export_or_give_user_errors(tmp_path_factory, edits):
    folder = _folder(tmp_path_factory, "fuzz-export")
    report = sample_report()
    for (part, key), text in edits:
        if part in ("unit",):
            setattr(report.unit, key, text)
        elif part == "document":
            setattr(report.document, key, text)
        elif part == "signer":
            setattr(report.document.signer, key, text)
        elif part in ("narrative", "explanations"):
            report.set_text(part, key, text)
        else:
            getattr(report.document, part)[:1] = [text]
    try:
        save_report(report, folder / "r.cchc.json")
        export_report(report, folder / "r.docx", folder / "r.xlsx", draft=True)
    except UserError as exc:
        assert exc.problems and all(isinstance(p, str) and "\n" not in p for p in exc.problems)
        return
    assert (folder / "r.docx").stat().st_size > 0 and (folder / "r.xlsx").stat().st_size > 0
