"""The files docs/scaling.md offers work: the sharded GitHub workflow (actionlint runs over it in
test_workflows.py) and the Kubernetes Indexed Job and CronJob, read with PyYAML and checked field
by field; every uxmon command line in them is parsed by uxmon's own command line."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from uxmon.cli import cli
from uxmon.fleet.shards import parse_shard

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "examples" / "uxmon-shards.yml"
KUBERNETES = ROOT / "examples" / "kubernetes"
SCALING = ROOT / "docs" / "scaling.md"
SAMPLE_ENV = {"BASE_URL": "https://staging.example.com", "BATCH_ID": "gh-123-1", "SHARD": "2",
              "SHARD/4": "2/4"}


def parses(argv: list[str]) -> click.Context:
    """uxmon's own parser reads the command line (nothing runs): a misspelt option fails here."""
    command = cli.commands[argv[0]]
    return command.make_context(argv[0], argv[1:], resilient_parsing=False)


def uxmon_lines(script: str) -> list[list[str]]:
    lines = []
    for line in script.splitlines():
        line = line.strip()
        if line.startswith("uxmon "):
            expanded = re.sub(r'"\$(\w+)/4"', lambda m: f'"{SAMPLE_ENV[m.group(1)]}/4"', line)
            expanded = re.sub(r'"\$(\w+)"', lambda m: f'"{SAMPLE_ENV[m.group(1)]}"', expanded)
            lines.append(shlex.split(expanded)[1:])
    return lines


def test_the_sharded_workflow_has_a_matrix_of_four_and_one_merge_job_that_alone_gates() -> None:
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    jobs = flow["jobs"]
    assert list(jobs) == ["plan", "shard", "merge"]
    strategy = jobs["shard"]["strategy"]
    assert strategy["fail-fast"] is False and strategy["matrix"]["shard"] == [1, 2, 3, 4]
    assert jobs["shard"]["needs"] == "plan"
    assert jobs["merge"]["needs"] == "shard" and jobs["merge"]["if"] == "always()"
    uploads = [s for job in jobs.values() for s in job["steps"] if "upload-artifact" in s.get("uses", "")]
    bundles = [s for s in uploads if s["with"]["name"].startswith("uxmon-bundle-")]
    assert [s["with"]["name"] for s in bundles] == ["uxmon-bundle-${{ matrix.shard }}"]
    assert bundles[0]["if"] == "always()" and bundles[0]["with"]["retention-days"] == 1
    downloads = [s for s in jobs["merge"]["steps"] if "download-artifact" in s.get("uses", "")]
    assert downloads[0]["with"]["pattern"] == "uxmon-bundle-*"
    commands = {name: [argv for step in job["steps"] for argv in uxmon_lines(step.get("run", ""))]
                for name, job in jobs.items()}
    assert [argv[0] for argv in commands["plan"]] == ["plan"]
    assert [argv[0] for argv in commands["shard"]] == ["run"]
    assert [argv[0] for argv in commands["merge"]] == ["merge", "check"]
    github = [argv for argv in commands["shard"] + commands["merge"] if "--github" in argv]
    assert github == [commands["merge"][1]]  # only the merge job writes the job summary
    run = parses(commands["shard"][0])
    assert (run.params["shard"], run.params["plan_file"], run.params["into_batch"]) == (
        "2/4", Path("plan.json"), "gh-123-1")
    assert parses(commands["plan"][0]).params["shards"] == 4
    assert parses(commands["merge"][0]).params["output"] == "reports"
    assert parses(commands["merge"][1]).params["batch_id"] == "gh-123-1"
    assert "bundle/${{ env.BATCH_ID }}/" == bundles[0]["with"]["path"]


def job_specs() -> list[tuple[str, dict[str, Any]]]:
    """(file, the Job spec) of the Indexed Job and of the CronJob's job template."""
    found = []
    for path in sorted(KUBERNETES.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            spec = doc["spec"]["jobTemplate"]["spec"] if doc["kind"] == "CronJob" else doc["spec"]
            found.append((path.name, spec))
    return found


def test_the_kubernetes_files_are_an_indexed_job_and_a_cronjob() -> None:
    kinds = {p.name: [d["kind"] for d in yaml.safe_load_all(p.read_text(encoding="utf-8"))]
             for p in KUBERNETES.glob("*.yaml")}
    assert kinds == {"uxmon-shards-job.yaml": ["Job"], "uxmon-shards-cronjob.yaml": ["CronJob"]}
    [cron] = yaml.safe_load_all((KUBERNETES / "uxmon-shards-cronjob.yaml").read_text(encoding="utf-8"))
    assert cron["apiVersion"] == "batch/v1"
    assert cron["spec"]["concurrencyPolicy"] == "Forbid" and cron["spec"]["startingDeadlineSeconds"] == 300
    assert cron["spec"]["timeZone"] == "Etc/UTC" and len(cron["spec"]["schedule"].split()) == 5


@pytest.mark.parametrize(("name", "spec"), job_specs(), ids=[name for name, _ in job_specs()])
def test_each_pod_runs_its_shard_into_the_jobs_one_batch(name: str, spec: dict[str, Any]) -> None:
    assert spec["completionMode"] == "Indexed" and spec["backoffLimitPerIndex"] == 1
    assert spec["completions"] == spec["parallelism"] == spec["maxFailedIndexes"] == 4
    pod = spec["template"]["spec"]
    assert pod["restartPolicy"] == "Never" and pod["terminationGracePeriodSeconds"] >= 120
    [container] = pod["containers"]
    rule = spec["podFailurePolicy"]["rules"][0]
    assert rule["action"] == "FailIndex" and rule["onExitCodes"] == {
        "containerName": container["name"], "operator": "In", "values": [1, 2, 3]}
    env = {e["name"]: e for e in container["env"]}
    assert env["BATCH_ID"]["valueFrom"]["fieldRef"]["fieldPath"] == \
        "metadata.labels['batch.kubernetes.io/controller-uid']"
    assert env["UXMON_DB"]["valueFrom"]["secretKeyRef"] == {"name": "uxmon", "key": "db"}
    uid = "0f0c7a52-9e4b-4f43-9b6e-3c1f4a2d9e11"  # what the label holds: a Job's uid, 36 characters
    argv = [a.replace("$(BATCH_ID)", uid) for a in container["args"]]
    run = parses(argv)
    assert run.params["into_batch"] == uid and run.params["quiet"] is True
    for index in range(4):  # pod i of the Job is shard i + 1 of 4
        assert parse_shard(run.params["shard"], {"JOB_COMPLETION_INDEX": str(index)}).index == index + 1
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    assert str(run.params["plan_file"]).startswith(next(iter(mounts)))
    assert {v["name"]: v["configMap"]["name"] for v in pod["volumes"]} == {"plan": "uxmon-plan"}
    assert container["resources"]["requests"]["memory"] == "2Gi"


def test_docs_scaling_shows_the_files_as_they_are() -> None:
    doc = SCALING.read_text(encoding="utf-8")
    for path in [WORKFLOW, *sorted(KUBERNETES.glob("*.yaml"))]:
        assert path.read_text(encoding="utf-8") in doc, f"docs/scaling.md does not show {path.name} as it is"
