"""Where the gate writes on GitHub Actions: the job summary, step outputs, and what the run is.

Files named by the runner (``GITHUB_STEP_SUMMARY``, ``GITHUB_OUTPUT``) may be missing or
unwritable; that is a warning to print, never a lost verdict.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import Path

from .summary import Links
from .verdict import Verdict


def on_github(flag: bool | None, environ: Mapping[str, str]) -> bool:
    """``--github``/``--no-github`` if given, else whether this runs in GitHub Actions."""
    return flag if flag is not None else environ.get("GITHUB_ACTIONS") == "true"


def links_from(environ: Mapping[str, str], artifact: str = "") -> Links:
    server = environ.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")
    repo, sha, run = (environ.get(k, "") for k in ("GITHUB_REPOSITORY", "GITHUB_SHA", "GITHUB_RUN_ID"))
    return Links(blob=f"{server}/{repo}/blob/{sha}/" if repo and sha else "",
                 run=f"{server}/{repo}/actions/runs/{run}" if repo and run else "",
                 artifact=artifact or environ.get("UXMON_ARTIFACT", ""),
                 workspace=environ.get("GITHUB_WORKSPACE", "") or str(Path.cwd()))


def outputs(verdict: Verdict, report_dir: str) -> dict[str, str]:
    """The step's outputs, as the composite action maps them."""
    return {
        "result": verdict.result, "runs": str(verdict.runs), "failed": str(verdict.failed_runs),
        "flaky": str(verdict.flaky_runs), "new-findings": str(verdict.new_findings),
        "errors": str(len(verdict.errors)), "warnings": str(len(verdict.warnings)),
        "batch-id": verdict.batch.id, "report-dir": report_dir,
    }


def output_text(values: Mapping[str, str]) -> str:
    """``name<<DELIMITER`` blocks, the form that takes any value, multi-line ones included."""
    blocks = []
    for name, value in values.items():
        delimiter = f"ghadelimiter_{secrets.token_hex(8)}"
        while delimiter in value:
            delimiter = f"ghadelimiter_{secrets.token_hex(8)}"
        blocks.append(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
    return "".join(blocks)


def append_to(variable: str, text: str, environ: Mapping[str, str]) -> str:
    """Append to the file the runner named; '' or a warning that says what went wrong."""
    target = environ.get(variable, "")
    if not target:
        return f"{variable} is not set: nothing written there (outside GitHub Actions, that is expected)"
    try:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        return f"cannot write {variable} ({target}): {exc.strerror or exc}"
    return ""


def report_to_github(verdict: Verdict, links: Links, report_dir: str,
                     environ: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """(the annotation lines to print, warnings): the job summary and outputs are written."""
    from .annotations import annotation_lines
    from .summary import render_summary

    problems = [append_to("GITHUB_STEP_SUMMARY", render_summary(verdict, links), environ),
                append_to("GITHUB_OUTPUT", output_text(outputs(verdict, report_dir)), environ)]
    return annotation_lines(verdict, links), [p for p in problems if p]
