"""Exit codes: 0 done, 1 blocked by the rules or some inputs refused, 2 bad input or usage,
3 internal error. No command can exit 1 through an uncaught exception: a bug deep inside any
command exits 3, and the worst inputs the reliability campaign used exit 1 or 2, never 3."""

from __future__ import annotations

import decimal
import json
import os
import sys

import msgspec
import pytest

from app.cli import main
from app.sample import sample_report
from app.storage import save_report

BUGS = [ZeroDivisionError("x"), KeyError("x"), ValueError("x"), TypeError("x"), RecursionError(),
        decimal.InvalidOperation(), msgspec.ValidationError("x"), AttributeError("x"),
        IndexError("x"), AssertionError("x")]


@pytest.fixture
def files(tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CCHC_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.chdir(tmp_path)
    report = tmp_path / "bc.cchc.json"
    save_report(sample_report(), report)
    return tmp_path, report


def _commands(tmp_path, report):
    """Every command with arguments that reach its real work, and a function deep inside it."""
    return [
        (["sample", "--out", str(tmp_path / "s.cchc.json")], "app.sample", "sample_report"),
        (["validate", str(report)], "app.validation", "validate"),
        (["export", str(report), "--docx", str(tmp_path / "o.docx"), "--draft"],
         "app.export.word", "render_docx"),
        (["export", str(report), "--xlsx", str(tmp_path / "o.xlsx"), "--draft"],
         "app.export.annex", "write_annex"),
        (["consolidate", str(report), "--out", str(tmp_path / "t.cchc.json")],
         "app.services.collection", "consolidate"),
        (["intake", "--unit", "Sở Tư pháp", "--level", "so_nganh", "--period", "nam",
          "--year", "2025", "--out", str(tmp_path / "p.xlsx")], "app.intake", "write_intake"),
        (["template", "fields"], "app.templates.guide", "fields_table"),
        (["template", "check", "default"], "app.templates", "check_template"),
    ]


@pytest.mark.parametrize("bug", BUGS, ids=lambda b: type(b).__name__)
def test_a_bug_deep_inside_any_command_exits_3_never_1(files, monkeypatch, capsys, bug):
    import importlib

    tmp_path, report = files
    for argv, module, name in _commands(tmp_path, report):
        mod = importlib.import_module(module)

        def broken(*_a, **_k):
            raise bug

        with monkeypatch.context() as m:
            m.setattr(mod, name, broken)
            code = main(argv)
        err = capsys.readouterr().err
        assert code == 3, (argv[0], module, name, code, err)
        assert "Lỗi nội bộ" in err and "Traceback" not in err


def _bad_inputs(tmp_path):
    base = sample_report().to_dict()
    out = {}

    def put(name, text):
        p = tmp_path / name
        p.write_text(text, encoding="utf-8", errors="surrogatepass")
        out[name] = p

    put("deep.cchc.json", json.dumps({**base, "x": json.loads("[" * 900 + "]" * 900)}))
    put("huge-int.cchc.json", json.dumps(base).replace('"vbqppl_ban_hanh": 266',
                                                       '"vbqppl_ban_hanh": 1' + "0" * 400))
    put("e308.cchc.json", json.dumps(base).replace('"vbqppl_ban_hanh": 266', '"vbqppl_ban_hanh": 1e308'))
    put("e28.cchc.json", json.dumps(base).replace('"vbqppl_ban_hanh": 266',
                                                  '"vbqppl_ban_hanh": 10000000000000000000000000000'))
    put("sources.cchc.json", json.dumps({**base, "sources": [1]}))
    put("surrogate.cchc.json", json.dumps({**base, "narrative": {"x": "\ud800"}}))
    put("broken.cchc.json", "{")
    put("not-a-report.xlsx", "xin chào")
    if sys.platform != "win32":
        os.mkfifo(tmp_path / "fifo.cchc.json")
        out["fifo.cchc.json"] = tmp_path / "fifo.cchc.json"
        out["zero"] = "/dev/zero"
    return out


def test_the_worst_inputs_exit_1_or_2_with_one_line_never_3(files, capsys):
    tmp_path, report = files
    for name, path in _bad_inputs(tmp_path).items():
        for argv in (["validate", str(path)],
                     ["export", str(path), "--docx", str(tmp_path / "o.docx"), "--draft"],
                     ["export", str(report), "--docx", str(tmp_path / "o.docx"), "--previous", str(path)],
                     ["consolidate", str(path), str(report), "--out", str(tmp_path / "t.cchc.json")]):
            code = main(argv)
            err = capsys.readouterr().err
            assert code in (1, 2), (name, argv[0], code, err)
            assert "Traceback" not in err and "Lỗi nội bộ" not in err, (name, err)
    # the good file of the batch was consolidated and the bad one named
    code = main(["consolidate", str(tmp_path / "sources.cchc.json"), str(report),
                 "--out", str(tmp_path / "t.cchc.json")])
    captured = capsys.readouterr()
    assert code == 1 and "sources.cchc.json" in captured.err and "từ chối 1 tệp" in captured.out
