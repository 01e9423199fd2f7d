"""The report's machine-readable twins: results.json (versioned) and junit.xml.

JUnit has one test case per scenario × viewport: a run that failed, or has a high or critical
finding, is a failure; one that could not be measured is an error. CI systems show them
next to the code's own tests.
"""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET

from ..records.redact import mask_url
from ..records.text import xml_safe
from .model import Overview, RunView, slug
from .times import rounded

RESULTS_SCHEMA = 1
GATING = ("high", "critical")


def results_json(ov: Overview) -> str:
    h = ov.history
    data: dict[str, Any] = {
        "schema": RESULTS_SCHEMA,
        "batch": {"id": h.batch.id, "started_at": h.batch.started_at, "base_url": h.batch.base_url,
                  "previous": h.previous.id if h.previous else None},
        "summary": {"journeys": len(ov.cells), "passed": ov.passing, "friction": round(ov.friction, 1),
                    "new_findings": len(h.findings.new), "fixed_findings": len(h.findings.fixed),
                    "regressions": [t.sentence() for t in h.regressions]},
        "journeys": [_journey(v) for v in ov.cells.values()],
        "fixed": [{"fingerprint": f.fingerprint, "rule": f.rule, "title": f.title, "scenario": f.scenario,
                   "viewport": f.viewport} for f in h.findings.fixed],
    }
    return json.dumps(data, indent=1, ensure_ascii=False)


def _journey(v: RunView) -> dict[str, Any]:
    r, t, failure = v.run, v.trend, v.failure
    return {
        "scenario": r.scenario, "viewport": r.viewport, "run_id": r.run_id, "outcome": r.outcome,
        "customer_reason": failure.sentence if failure else None,
        "reason": r.reason, "failed_step": r.failed_step, "flaky": r.flaky,
        "time_to_goal_s": rounded(v.time_to_goal_ms), "run_time_s": rounded(r.duration_ms),
        "stopped_after_s": rounded(failure.stopped_ms) if failure else None,
        "waited_s": rounded(failure.waited_ms) if failure else None,
        "seconds": round(r.duration_ms / 1000, 2), "steps": r.steps, "clicks": r.clicks,
        "keystrokes": r.keystrokes, "friction_score": r.friction_score,
        "trend": None if t is None else {
            "runs": t.runs, "success_rate": round(t.success_rate, 3), "median_s": t.median_s,
            "p90_s": t.p90_s, "baseline_s": t.baseline_s, "change": t.change, "regression": t.regression,
            "p_value": t.test.p if t.test else None, "sentence": t.sentence()},
        "findings": [{"fingerprint": f.fingerprint, "rule": f.rule, "severity": f.severity, "step": f.step,
                      "step_name": f.step_name, "title": f.title, "cause": f.cause,
                      "status": "new" if f.fingerprint in v.new else "still",
                      "wasted": {"clicks": f.wasted_clicks, "seconds": f.wasted_seconds}}
                     for f in v.findings],
    }


def junit_xml(ov: Overview) -> str:
    """One test case per journey, with the figures CI dashboards show as properties."""
    suite = ET.Element("testsuite", name="uxmon", tests=str(len(ov.cells)))
    b = ov.history.batch
    _properties(suite, {"batch_id": b.id, "base_url": mask_url(b.base_url), "label": b.label,
                        "git_sha": b.git_sha, "git_ref": b.git_ref, "environment": b.environment})
    failures = errors = 0
    for v in ov.cells.values():
        r = v.run
        case = ET.SubElement(suite, "testcase", classname=r.scenario, name=f"{r.scenario} [{r.viewport}]",
                             time=f"{r.duration_ms / 1000:.3f}")
        _properties(case, _case_properties(v))
        gating = [f for f in v.findings if f.severity in GATING]
        if r.outcome == "error":
            errors += 1
            ET.SubElement(case, "error", message=r.reason[:500] or "could not be measured")
        elif r.outcome == "failed" or gating:
            failures += 1
            failure = v.failure
            message = (failure.sentence if failure else f"{len(gating)} high or critical friction finding(s)")
            node = ET.SubElement(case, "failure", message=message[:500])
            node.text = "\n".join(_failure_text(v))
        ET.SubElement(case, "system-out").text = f"friction score {r.friction_score:.0f}"
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    return ET.tostring(xml_clean(suite), encoding="unicode", xml_declaration=True)


def _failure_text(v: RunView) -> list[str]:
    """The customer's side first, then the script's (Playwright's message, the trace), then findings."""
    lines = []
    if v.failure is not None:
        lines.append(v.failure.sentence)
        if v.failure.wait_sentence:
            lines.append(f"The customer met it after {v.failure.stopped_ms / 1000:.1f} s; "
                         f"{v.failure.wait_sentence}." if v.failure.stopped_ms is not None
                         else v.failure.wait_sentence)
        lines.append(f"Technical reason: {v.run.reason}")
        if v.run.trace:
            lines.append(f"Trace: playwright show-trace runs/{v.run.run_id}/{v.run.trace}")
        lines.append("")
    return lines + [f"{f.severity}: {f.title}" for f in v.findings if f.severity != "info"]


def xml_clean(root: ET.Element) -> ET.Element:
    """Only characters XML allows, in every attribute and text: site text may hold any other."""
    for node in root.iter():
        node.attrib = {k: xml_safe(v) for k, v in node.attrib.items()}
        if node.text:
            node.text = xml_safe(node.text)
        if node.tail:
            node.tail = xml_safe(node.tail)
    return root
def _case_properties(v: RunView) -> dict[str, str]:
    r = v.run
    return {
        "viewport": r.viewport, "friction_score": f"{r.friction_score:g}", "flaky": str(r.flaky).lower(),
        "attempts": str(r.attempt), "new_findings": str(sum(f.fingerprint in v.new for f in v.findings)),
        "report": f"journeys/{slug(r.scenario)}.html#{r.viewport}",
        "trace": f"runs/{r.run_id}/{r.trace}" if r.trace else "", "scenario_file": r.scenario_file,
    }


def _properties(parent: ET.Element, values: dict[str, str]) -> None:
    """JUnit ``<properties>``; empty values are left out."""
    kept = {k: v for k, v in values.items() if v}
    if kept:
        node = ET.SubElement(parent, "properties")
        for name, value in kept.items():
            ET.SubElement(node, "property", name=name, value=value)
