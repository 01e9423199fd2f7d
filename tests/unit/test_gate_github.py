"""What the gate tells GitHub Actions: job summary, annotations, step outputs, the PR comment.

``uxmon check --batch`` runs in-process on recorded runs stored in a real SQLite history; the
files the runner would read are parsed the way the runner parses them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests.gate_data import recorded, step_lines, store_batch
from uxmon.cli import main
from uxmon.gate import gate_settings, judge
from uxmon.gate.annotations import annotation_lines, command
from uxmon.gate.github import output_text
from uxmon.gate.journeys import group_journeys
from uxmon.gate.summary import COMMENT_MARKER, MAX_SUMMARY_BYTES, Links, render_comment, render_summary
from uxmon.history import BatchRow, FindingRow, HistoryStore, RunRow

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "50% off\r\n::error::pwned, really <script>alert(1)</script> | col | @octocat"


def parse_outputs(text: str) -> dict[str, str]:
    """``name<<DELIM`` … ``DELIM`` blocks, as the runner reads $GITHUB_OUTPUT."""
    found: dict[str, str] = {}
    lines = iter(text.split("\n"))
    for line in lines:
        if "<<" in line:
            name, delimiter = line.split("<<", 1)
            body = []
            for inner in lines:
                if inner == delimiter:
                    break
                body.append(inner)
            found[name] = "\n".join(body)
    return found


def unescape(text: str, prop: bool = False) -> str:
    """What the runner makes of an escaped message or property."""
    pairs = [("%0D", "\r"), ("%0A", "\n")] + ([("%3A", ":"), ("%2C", ",")] if prop else []) + [("%25", "%")]
    for escaped, raw in pairs:
        text = text.replace(escaped, raw)
    return text


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """``::kind k=v,k=v::message`` split as the runner splits it (properties cannot hold ``,`` or ``:``)."""
    match = re.fullmatch(r"::(\w+)(?: ([^:]*))?::(.*)", line, re.S)
    assert match, line
    props = dict(p.split("=", 1) for p in match[2].split(",")) if match[2] else {}
    return match[1], {k: unescape(v, prop=True) for k, v in props.items()}, unescape(match[3])


@pytest.fixture
def reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A reports folder with two stored batches: main (clean) and b2 (late stock), and a runner's env."""
    out = tmp_path / "reports"
    out.mkdir()
    with HistoryStore(f"sqlite:///{out / 'history.sqlite'}") as store:
        store_batch(store, "b1", "2026-11-01T10:00:00+00:00", [recorded("clean")], label="main")
        store_batch(store, "b2", "2026-11-02T10:00:00+00:00", [recorded("late-stock")], folder=out / "b2",
                    git_sha="0123456789abcdef", git_ref="feature/x")
    for name in list(os.environ):
        if name.startswith("GITHUB_") or name.startswith("UXMON_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    monkeypatch.setenv("GITHUB_OUTPUT", str(tmp_path / "output.txt"))
    monkeypatch.setenv("GITHUB_WORKSPACE", str(ROOT))
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/shop")
    monkeypatch.setenv("GITHUB_SHA", "0123456789abcdef")
    monkeypatch.setenv("GITHUB_RUN_ID", "77")
    monkeypatch.chdir(tmp_path)
    yield out


def test_check_batch_writes_summary_annotations_and_outputs(reports: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", "--batch", "b2", "-o", str(reports), "--baseline-label", "main",
                 "--pr-comment", str(tmp_path / "comment.md")])
    out = capsys.readouterr().out
    assert code == 1
    commands = [parse_command(line) for line in out.splitlines() if line.startswith("::")]
    errors = [c for c in commands if c[0] == "error"]
    assert len(errors) == 1
    kind, props, message = errors[0]
    assert props == {"file": "scenarios/purchase.py", "line": str(step_lines()["Confirmation"]),
                     "title": "uxmon: failed-run · Buy a mug · desktop"}
    assert message.startswith("Customers could not finish “Buy a mug” on desktop: stopped at step 7")
    assert commands[-1][0] == "notice" and commands[-1][2].startswith("The deploy gate failed")
    outputs = parse_outputs((tmp_path / "output.txt").read_text())
    assert outputs == {"result": "failed", "runs": "1", "failed": "1", "flaky": "0", "new-findings": "1",
                       "errors": "1", "warnings": "0", "batch-id": "b2", "report-dir": str(reports / "b2")}
    summary = (tmp_path / "summary.md").read_text()
    assert summary.startswith("## ❌ The deploy gate failed: customers were stopped on 1 of 1 journeys")
    assert "baseline: batch b1 (label main)" in summary and "feature/x, `0123456`" in summary
    seconds = recorded("late-stock").duration_ms / 1000
    assert f"| Buy a mug | desktop | ❌ failed | 60 | 1 | 7 / 8 | {seconds:.1f} s |" in summary
    link = f"https://github.com/acme/shop/blob/0123456789abcdef/scenarios/purchase.py#L{step_lines()['Confirmation']}"
    assert link in summary and "[full report](https://github.com/acme/shop/actions/runs/77)" in summary
    comment = (tmp_path / "comment.md").read_text()
    assert comment.startswith(COMMENT_MARKER + "\n## ❌") and comment.endswith(summary)


def test_a_passing_batch_has_no_error_and_says_so(reports: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--batch", "b1", "-o", str(reports), "--baseline", "previous"]) == 0
    out = capsys.readouterr().out
    assert "::error" not in out
    assert "::warning title=uxmon%3A no-baseline · all journeys::No baseline: no earlier batch" in out
    assert parse_outputs((tmp_path / "output.txt").read_text())["result"] == "passed"
    summary = (tmp_path / "summary.md").read_text()
    seconds = recorded("clean").duration_ms / 1000
    assert f"| Buy a mug | desktop | ✅ passed | 0 | 0 | 7 / 8 | {seconds:.1f} s |" in summary


def test_an_unwritable_summary_is_a_warning_and_the_verdict_stands(
        reports: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "no" / "such" / "dir" / "summary.md"))
    assert main(["check", "--batch", "b2", "-o", str(reports), "--baseline-label", "main"]) == 1
    captured = capsys.readouterr()
    assert "Warning: cannot write GITHUB_STEP_SUMMARY" in captured.err and "No such file" in captured.err
    assert parse_outputs((tmp_path / "output.txt").read_text())["result"] == "failed"
    assert "::error file=scenarios/purchase.py" in captured.out


def test_no_github_output_outside_actions(reports: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS")
    assert main(["check", "--batch", "b2", "-o", str(reports), "--baseline-label", "main"]) == 1
    out = capsys.readouterr().out
    assert "::" not in out.replace("net::", "") and not (tmp_path / "summary.md").exists()
    assert "The deploy gate failed: customers were stopped on 1 of 1 journeys (1 error, 0 warnings)" in out
    assert "error failed-run" in out


@pytest.mark.parametrize("args, message", [
    (["--batch", "nope"], "no batch 'nope' in the history"),
    (["--batch", "b2", "--baseline", "missing.json"], "missing.json: baseline file not found"),
    (["--batch", "b2", "scenarios"], "--batch judges a batch already in the history"),
])
def test_bad_check_input_is_exit_2_with_a_message(reports: Path, args: list[str], message: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "-o", str(reports), *args]) == 2
    assert message in capsys.readouterr().err


def test_baseline_export_then_check_against_the_file(reports: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["baseline", "export", "--reports", str(reports), "--label", "main", "-o", "base.json"]) == 0
    assert "Baseline of batch b1 written to base.json" in capsys.readouterr().err
    assert main(["check", "--batch", "b2", "-o", str(reports), "--baseline", "base.json"]) == 1
    assert "baseline: batch b1 (label main) from file base.json" in (tmp_path / "summary.md").read_text()
    assert main(["baseline", "export", "--reports", str(reports), "--label", "nightly"]) == 2
    assert "no batch labelled 'nightly' in the history" in capsys.readouterr().err


def hostile_verdict(count: int = 1, long: int = 0):  # type: ignore[no-untyped-def]
    batch = BatchRow("b9", "2026-11-02T10:00:00+00:00", "https://user:secret@shop.example/?token=abc")
    runs, findings = [], []
    for n in range(count):
        name = f"Journey {n} {'x' * long} {HOSTILE}"
        runs.append(RunRow(n + 1, "b9", f"r{n}", name, "desktop", "passed", batch.started_at, 3000.0, 5, 6,
                           0, 35.0, scenario_file=str(ROOT / "scenarios" / "purchase.py")))
        findings.append(FindingRow(n + 1, name, "desktop", f"fp{n}", "late-cost", "high", 2, "Pay, now",
                                   f"A fee: {HOSTILE}"))
    return judge(batch, group_journeys(runs, [], findings), None, gate_settings(None))


def test_site_text_is_escaped_in_annotations() -> None:
    links = Links(workspace=str(ROOT))
    lines = annotation_lines(hostile_verdict(), links)
    assert all("\n" not in line and "\r" not in line for line in lines)
    kind, props, message = parse_command(lines[0])
    assert kind == "error" and props["file"] == "scenarios/purchase.py"
    one_line = HOSTILE.replace("\r\n", " ")
    assert props["title"] == f"uxmon: new-high · Journey 0 {one_line} · desktop"
    assert message.endswith(f"A fee: {one_line}")
    assert command("warning", "a%b\nc", title="x:y,z") == "::warning title=x%3Ay%2Cz::a%25b%0Ac"


def test_at_most_nine_annotations_of_a_kind_then_one_notice() -> None:
    lines = annotation_lines(hostile_verdict(30), Links())
    kinds = [parse_command(line)[0] for line in lines]
    assert kinds.count("error") == 9 and kinds.count("warning") == 1
    notices = [parse_command(line)[2] for line in lines if line.startswith("::notice")]
    assert notices == ["The deploy gate failed: customers would meet new friction (30 errors, 1 warning)",
                       "21 more errors and warnings are not shown here: see the job summary and the "
                       "report artifact"]


def test_the_summary_renders_safely_as_github_would() -> None:
    verdict = hostile_verdict(2)
    links = Links(blob="https://github.com/acme/shop/blob/abc/", workspace=str(ROOT))
    summary = render_summary(verdict, links)
    assert "secret" not in summary and "token=abc" not in summary and "token=••••••" in summary
    html = MarkdownIt("commonmark").enable("table").render(summary)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    rows = [r for r in html.split("<tbody>")[1].split("<tr>") if "Journey 0" in r]
    assert len(rows) == 1 and rows[0].count("<td") == 7  # the | in site text did not add columns
    assert "@\u2060octocat" in summary  # nobody gets mentioned by a shop's text


def test_a_summary_that_would_pass_the_limit_is_cut_and_says_where_the_rest_is() -> None:
    verdict = hostile_verdict(6000, long=300)
    summary = render_summary(verdict, Links(artifact="uxmon-report-gate-0"))
    size = len(summary.encode("utf-8"))
    assert MAX_SUMMARY_BYTES - 4096 < size <= MAX_SUMMARY_BYTES
    assert re.search(r"_… \d+ more lines not shown: the full report is in the report artifact "
                     r"`uxmon-report-gate-0`._", summary)
    comment = render_comment(verdict, Links())
    assert len(comment) <= 60_000 and comment.startswith(COMMENT_MARKER)


def test_output_values_with_newlines_survive() -> None:
    values = {"report-dir": "/tmp/a\nb", "result": "passed"}
    assert parse_outputs(output_text(values)) == values


def test_junit_carries_the_gate_properties(reports: Path) -> None:
    from xml.etree import ElementTree as ET

    from uxmon.report.publish import redraw

    with HistoryStore(f"sqlite:///{reports / 'history.sqlite'}") as store:
        store_batch(store, "b3", "2026-11-03T10:00:00+00:00",
                    [replace(recorded("late-stock"), attempt=2, flaky=False, trace="trace.zip")],
                    folder=reports / "b3", label="pr-7")
        redraw(store, reports, "b3")
    suite = ET.fromstring((reports / "b3" / "junit.xml").read_text())
    assert {p.get("name"): p.get("value") for p in suite.findall("properties/property")} == \
        {"batch_id": "b3", "base_url": "http://127.0.0.1:8000", "label": "pr-7"}
    case = suite.find("testcase[@name='Buy a mug [desktop]']")
    assert case is not None
    props = {p.get("name"): p.get("value") for p in case.findall("properties/property")}
    assert props == {"viewport": "desktop", "friction_score": "60", "flaky": "false", "attempts": "2",
                     "new_findings": "0", "report": "journeys/buy-a-mug.html#desktop",
                     "trace": "runs/buy-a-mug--desktop/trace.zip",
                     "scenario_file": str(ROOT / "scenarios/purchase.py")}
