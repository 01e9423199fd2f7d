"""The split of a batch over shards, plan files and the shard filter: pure, on made-up runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from uxmon.authoring.scenarios import Scenario
from uxmon.fleet.plans import ShardFilter, expected_seconds, make_plan, read_plan, to_json, totals
from uxmon.fleet.shards import (
    DEFAULT_S,
    Run,
    Shard,
    ShardError,
    assign,
    duration_text,
    parse_shard,
    split_scenarios,
)
from uxmon.records import Viewport
from uxmon.run.plan import Job


def jobs_of(scenarios: dict[str, int], viewports: tuple[str, ...] = ("desktop", "mobile")) -> list[Job]:
    """Jobs as plan_jobs makes them: ``{name: repeat}`` on each viewport."""
    jobs = []
    for name, repeat in scenarios.items():
        scenario = Scenario(name, lambda journey: None, file=f"/s/{name}.py")
        for viewport in viewports:
            for n in range(1, repeat + 1):
                run_id = f"{name.lower()}--{viewport}" + (f"--{n}" if repeat > 1 else "")
                jobs.append(Job(run_id, scenario, Viewport(viewport, 1280, 800), n))
    return jobs


@pytest.mark.parametrize(("text", "env", "shard"), [
    ("1/4", {}, Shard(1, 4)), ("4/4", {}, Shard(4, 4)), (" 2 / 3 ", {}, Shard(2, 3)),
    ("auto/4", {"JOB_COMPLETION_INDEX": "0"}, Shard(1, 4)),
    ("auto/4", {"JOB_COMPLETION_INDEX": "3"}, Shard(4, 4)),
])
def test_shards_are_read_as_playwright_and_kubernetes_number_them(text: str, env: dict[str, str],
                                                                  shard: Shard) -> None:
    assert parse_shard(text, env) == shard


@pytest.mark.parametrize(("text", "env", "message"), [
    ("0/4", {}, "between 1 and 4"), ("5/4", {}, "between 1 and 4"), ("2", {}, "give K/N"),
    ("1/0", {}, "at least 1"), ("a/b", {}, "give K/N"),
    ("auto/4", {}, "JOB_COMPLETION_INDEX, which Kubernetes sets"),
    ("auto/4", {"JOB_COMPLETION_INDEX": "4"}, "needs 0 to 3"),
    ("auto/4", {"JOB_COMPLETION_INDEX": "-1"}, "needs 0 to 3"),
])
def test_a_shard_that_cannot_be_worked_out_says_why(text: str, env: dict[str, str], message: str) -> None:
    with pytest.raises(ShardError, match=message):
        parse_shard(text, env)


def test_longest_first_to_the_lightest_shard() -> None:
    runs = [Run("a--d", "A", 100), Run("a--m", "A", 80), Run("b--d", "B", 50), Run("b--m", "B", 40),
            Run("c--d", "C", 30), Run("c--m", "C", 30), Run("d--d", "D", 20), Run("d--m", "D", 10)]
    # units: A 180, B 90, C 60, D 30 → shard 1 takes A; shard 2 takes B, C and D (90+60+30 = 180)
    assert assign(runs, 2) == [["a--d", "a--m"], ["b--d", "b--m", "c--d", "c--m", "d--d", "d--m"]]


def test_balance_by_duration_beats_balance_by_count() -> None:
    """Four journeys of 5 min and twelve of 20 s over 4 shards: by count each shard would get 4."""
    runs = [Run(f"long{i}--d", f"L{i}", 300) for i in range(4)] + \
           [Run(f"short{i}--d", f"S{i}", 20) for i in range(12)]
    loads = [sum(r.expected_s for r in runs if r.run_id in ids) for ids in assign(runs, 4)]
    assert loads == [360, 360, 360, 360]


def test_a_scenarios_viewports_stay_together_while_there_are_enough_scenarios() -> None:
    jobs = jobs_of({"Buy": 1, "Help": 1, "Search": 1})
    runs = [Run(j.run_id, j.scenario.name) for j in jobs]
    split = assign(runs, 3)
    assert split == [["buy--desktop", "buy--mobile"], ["help--desktop", "help--mobile"],
                     ["search--desktop", "search--mobile"]]
    assert split_scenarios(split, runs) == []


def test_fewer_scenarios_than_shards_splits_them_so_no_shard_is_empty() -> None:
    jobs = jobs_of({"Buy": 1, "Help": 1})  # 4 runs, 2 scenarios, 4 shards
    runs = [Run(j.run_id, j.scenario.name) for j in jobs]
    split = assign(runs, 4)
    assert all(split) and sorted(i for s in split for i in s) == sorted(r.run_id for r in runs)
    assert split_scenarios(split, runs) == ["Buy", "Help"]


def test_fixed_places_from_a_plan_stay_and_new_runs_go_around_them() -> None:
    runs = [Run("a--d", "A", 10), Run("b--d", "B", 10), Run("new--d", "New", 60)]
    split = assign(runs, 2, fixed={"a--d": 2, "b--d": 2})
    assert split == [["new--d"], ["a--d", "b--d"]]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 9), st.sampled_from(["desktop", "mobile", "tablet"]),
                          st.floats(0, 600, allow_nan=False)), max_size=40, unique_by=lambda t: t[:2]),
       st.integers(1, 12))
def test_every_run_in_exactly_one_shard_and_none_empty_while_runs_suffice(
        spec: list[tuple[int, str, float]], count: int) -> None:
    runs = [Run(f"s{s}--{v}", f"S{s}", seconds) for s, v, seconds in spec]
    split = assign(runs, count)
    assert len(split) == count
    placed = [i for ids in split for i in ids]
    assert sorted(placed) == sorted(r.run_id for r in runs)  # each exactly once
    if len(runs) >= count:
        assert all(split), split
    assert assign(list(reversed(runs)), count) == split  # the order runs are planned in does not matter


def test_the_filter_keeps_its_shard_in_planned_order_and_says_so() -> None:
    jobs = jobs_of({"Buy": 1, "Help": 1, "Search": 1})
    kept = [ShardFilter(Shard(k, 2))(jobs) for k in (1, 2)]
    ids = [[j.run_id for j in part] for part, _ in kept]
    assert sorted(ids[0] + ids[1]) == sorted(j.run_id for j in jobs) and not set(ids[0]) & set(ids[1])
    assert ids[0] == ["buy--desktop", "buy--mobile", "search--desktop", "search--mobile"]
    assert kept[0][1] == "shard 1/2: 4 of 6 runs, about 4 min expected"


def test_a_plan_from_the_history_balances_the_shards_and_every_shard_reads_it_alike(tmp_path: Path) -> None:
    jobs = jobs_of({"Buy": 1, "Help": 1, "Search": 1, "Track": 1})
    history = {("Buy", "desktop"): [9000, 11000, 10000], ("Buy", "mobile"): [12000],
               ("Help", "desktop"): [2000, 0, 3000], ("Search", "mobile"): [500] * 30}
    plan = make_plan(jobs, 2, history, "the last 10 runs in sqlite:///h")
    expected = {r.run_id: (r.expected_s, r.samples) for r in plan.runs}
    assert expected["buy--desktop"] == (10.0, 3)
    assert expected["help--desktop"] == (2.5, 2)  # a 0 ms run measured nothing
    assert expected["search--mobile"] == (0.5, 10)  # the last 10 only
    assert expected["track--mobile"] == (DEFAULT_S, 0)
    path = tmp_path / "plan.json"
    path.write_text(to_json(plan), encoding="utf-8")
    again = read_plan(path)
    assert again.runs == plan.runs and again.shards == 2
    assert [(k, n) for k, n, _ in totals(again)] == [(1, 4), (2, 4)]
    parts = [ShardFilter(Shard(k, 2), again, "plan.json")(jobs)[0] for k in (1, 2)]
    assert {j.run_id for j in parts[0]} == {r.run_id for r in again.runs if r.shard == 1}
    assert {j.run_id for j in parts[1]} == {r.run_id for r in again.runs if r.shard == 2}
    data = json.loads(path.read_text())
    assert data["kind"] == "uxmon-plan" and data["totals"][0]["runs"] == 4


def test_runs_the_plan_does_not_know_are_placed_and_named(tmp_path: Path) -> None:
    plan = make_plan(jobs_of({"Buy": 1}), 2, {})
    jobs = jobs_of({"Buy": 1, "New": 1})
    _, line = ShardFilter(Shard(1, 2), plan, "plan.json")(jobs)
    assert "2 run(s) are not in plan.json" in line


def test_a_plan_for_another_number_of_shards_is_refused() -> None:
    plan = make_plan(jobs_of({"Buy": 1}), 4, {})
    with pytest.raises(ShardError, match="plan.json was made for 4 shards; --shard 1/3 asks for 3"):
        ShardFilter(Shard(1, 3), plan, "plan.json")


@pytest.mark.parametrize(("text", "message"), [
    ("not json", "not JSON"), ('{"kind": "uxmon-baseline"}', "not a plan file"),
    ('{"kind": "uxmon-plan", "version": 9}', "version 9"),
    ('{"kind": "uxmon-plan", "version": 1, "shards": 2, "runs": [{"run_id": "x"}]}', "damaged"),
    ('{"kind": "uxmon-plan", "version": 1, "shards": 2, "runs": [{"run_id": "x", "scenario": "X", '
     '"expected_s": 1, "shard": 3}]}', "damaged"),
])
def test_a_bad_plan_file_is_named_with_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ShardError, match=message) as caught:
        read_plan(path)
    assert str(path) in str(caught.value)


def test_expected_seconds_and_durations_read_well() -> None:
    assert expected_seconds({}, ("A", "desktop")) == (DEFAULT_S, 0)
    assert [duration_text(s) for s in (0, 45.2, 60, 200, 3600, 3900)] == [
        "0 s", "46 s", "1 min", "3 min 20 s", "1 h", "1 h 5 min"]


@pytest.mark.parametrize(("args", "message"), [
    (["--shard", "5/4"], "the shard number must be between 1 and 4"),
    (["--shard", "auto/3"], "JOB_COMPLETION_INDEX"),
    (["--plan", "plan.json"], "--plan goes with --shard K/N"),
    (["--shard", "1/2", "--plan", "missing.json"], "cannot read the plan file"),
    (["--batch-id", "a/b"], "cannot name a batch"),
    (["--batch-id", "x" * 41], "cannot name a batch"),
])
def test_bad_shard_options_stop_before_any_browser_starts(
        args: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from uxmon.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JOB_COMPLETION_INDEX", raising=False)
    assert main(["run", str(tmp_path), "--base-url", "http://127.0.0.1:9", *args]) == 2
    assert message in capsys.readouterr().err.replace("\n", " ")


def test_check_judging_a_stored_batch_takes_no_run_options(capsys: pytest.CaptureFixture[str]) -> None:
    from uxmon.cli import main

    assert main(["check", "--batch", "gh-1", "--batch-id", "gh-2"]) == 2
    assert "--batch-id and --shard are for runs" in capsys.readouterr().err


def test_a_shard_with_nothing_to_run_says_so_and_exits_0(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """Three shards for two runs: the third has nothing to do, which is no failure (no browser starts)."""
    from uxmon.cli import main

    (tmp_path / "home.py").write_text("import uxmon\n\n"
                                      "@uxmon.scenario('Home', viewports=['desktop', 'mobile'])\n"
                                      "def home(journey):\n    journey.page.goto('/')\n")
    monkeypatch.chdir(tmp_path)
    assert main(["run", str(tmp_path / "home.py"), "--base-url", "http://127.0.0.1:9", "--shard", "3/3",
                 "-o", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "Shard 3/3: 0 of 2 runs, about 0 s expected" in out
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
