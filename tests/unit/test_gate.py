"""The deploy gate's rules, baselines and verdicts, on recorded demo-shop runs in a real SQLite store."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from tests.gate_data import recorded, repeated, step_lines, store_batch
from tests.unit.test_history_store import BACKENDS, fresh_pg_schema
from uxmon.config import ConfigError, load_config
from uxmon.gate import BaselineChoice, BaselineError, GateInputError, gate_settings, verdict_for
from uxmon.gate.baseline import from_json, to_json
from uxmon.gate.load import read_baseline_file, stored_baseline
from uxmon.gate.timing import compare_times
from uxmon.history import HistoryStore
from uxmon.records import Attempt

DAY1, DAY2 = "2026-11-01T10:00:00+00:00", "2026-11-02T10:00:00+00:00"
LINES = step_lines()
MAIN = BaselineChoice(label="main")


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[HistoryStore]:
    """A real SQLite file, and a real PostgreSQL when UXMON_TEST_PG is set."""
    url = f"sqlite:///{tmp_path / 'history.sqlite'}" if request.param == "sqlite" else fresh_pg_schema()
    with HistoryStore(url) as opened:
        yield opened


def rules_of(verdict: object) -> list[tuple[str, str]]:
    return [(c.level, c.rule) for c in verdict.checks]  # type: ignore[attr-defined]


def test_a_clean_batch_against_a_clean_baseline_passes(store: HistoryStore) -> None:
    store_batch(store, "b1", DAY1, [recorded("clean")], label="main")
    store_batch(store, "b2", DAY2, [recorded("clean")])
    verdict = verdict_for(store, "b2", gate_settings(None), MAIN)
    assert (verdict.result, verdict.exit_code, verdict.checks) == ("passed", 0, [])
    assert verdict.baseline is not None and verdict.baseline.batch_id == "b1"
    assert verdict.headline() == "The deploy gate passed: 1 of 1 journeys (0 errors, 0 warnings)"


def test_a_late_blocker_fails_the_gate_on_the_step_line(store: HistoryStore) -> None:
    store_batch(store, "b1", DAY1, [recorded("clean")], label="main")
    store_batch(store, "b2", DAY2, [recorded("late-stock")])
    verdict = verdict_for(store, "b2", gate_settings(None), MAIN)
    assert (verdict.result, verdict.exit_code) == ("failed", 1)
    assert (verdict.failed_runs, verdict.new_findings) == (1, 1)
    [failed] = verdict.errors
    assert failed.rule == "failed-run" and failed.line == LINES["Confirmation"]
    assert failed.file.endswith("scenarios/purchase.py")
    assert failed.message.startswith("Customers could not finish “Buy a mug” on desktop: stopped at step 7 "
                                     "“Confirmation”: “Sorry, Blue Mug is out of stock.")
    # The blocker is the reason of the failure, said once (and so is the higher score).
    assert rules_of(verdict) == [("error", "failed-run")]
    assert verdict.headline().startswith("The deploy gate failed: customers were stopped on 1 of 1 journeys")


def test_friction_the_baseline_already_had_is_a_warning_not_new(store: HistoryStore) -> None:
    store_batch(store, "b1", DAY1, [recorded("late-fee")], label="main")
    store_batch(store, "b2", DAY2, [recorded("late-fee")])
    verdict = verdict_for(store, "b2", gate_settings(None), MAIN)
    assert (verdict.result, verdict.exit_code, verdict.new_findings) == ("passed", 0, 0)
    assert rules_of(verdict) == [("warn", "known-friction")]
    assert "in the baseline too" in verdict.warnings[0].message
    assert verdict.warnings[0].line == LINES["Payment"]


def test_new_friction_fails_by_severity_and_medium_only_warns(store: HistoryStore) -> None:
    store_batch(store, "b1", DAY1, [recorded("clean")], label="main")
    store_batch(store, "b2", DAY2, [recorded("late-fee")])
    verdict = verdict_for(store, "b2", gate_settings(None), MAIN)
    # The late fee is high; the total that grew by the fee line the page names is only low.
    assert rules_of(verdict) == [("error", "new-high")]
    assert verdict.exit_code == 1 and verdict.new_findings == 2
    assert verdict.errors[0].message.startswith("High at step 6 “Payment” (new since the baseline")
    store_batch(store, "b3", "2026-11-03T10:00:00+00:00", [recorded("popup")])
    popup = verdict_for(store, "b3", gate_settings(None), MAIN)
    assert rules_of(popup) == [("warn", "new-medium")] and popup.exit_code == 0


def test_levels_come_from_the_config(tmp_path: Path, store: HistoryStore) -> None:
    (tmp_path / "uxmon.toml").write_text('[gate.rules]\nnew-high = "warn"\nnew-medium = "off"\n')
    store_batch(store, "b1", DAY1, [recorded("clean")], label="main")
    store_batch(store, "b2", DAY2, [recorded("late-fee")])
    settings = gate_settings(load_config(tmp_path / "uxmon.toml"))
    verdict = verdict_for(store, "b2", settings, MAIN)
    assert (verdict.exit_code, rules_of(verdict)) == (0, [("warn", "new-high")])


def test_without_a_baseline_every_finding_is_new_and_that_is_said(store: HistoryStore) -> None:
    store_batch(store, "b2", DAY2, [recorded("late-fee")])
    verdict = verdict_for(store, "b2", gate_settings(None), BaselineChoice())
    assert verdict.exit_code == 1 and verdict.new_findings == 2
    assert ("warn", "no-baseline") in rules_of(verdict)
    assert "(no baseline, after 8 clicks" in verdict.errors[0].message


def test_a_label_with_no_batch_names_the_labels_there(store: HistoryStore) -> None:
    store_batch(store, "b1", DAY1, [recorded("clean")], label="nightly")
    store_batch(store, "b2", DAY2, [recorded("clean")])
    verdict = verdict_for(store, "b2", gate_settings(None), MAIN)
    [check] = verdict.checks
    assert (check.level, check.rule, verdict.exit_code) == ("warn", "no-baseline", 0)
    assert "no earlier batch labelled 'main'" in check.message and "labels there: nightly" in check.message


def test_previous_is_the_newest_earlier_batch_of_the_same_label_and_environment(store: HistoryStore) -> None:
    store_batch(store, "b1", DAY1, [recorded("late-fee")], environment="staging")
    store_batch(store, "b2", "2026-11-01T11:00:00+00:00", [recorded("clean")], environment="preview")
    store_batch(store, "b3", DAY2, [recorded("late-fee")], environment="staging")
    verdict = verdict_for(store, "b3", gate_settings(None), BaselineChoice.of("previous", None))
    assert verdict.baseline is not None and verdict.baseline.batch_id == "b1"
    assert rules_of(verdict) == [("warn", "known-friction")]


def test_a_flaky_run_warns_and_fails_only_when_asked(store: HistoryStore) -> None:
    run = replace(recorded("clean"), attempt=2, flaky=True, earlier=[Attempt("error", "browser crashed")])
    store_batch(store, "b1", DAY1, [recorded("clean")], label="main")
    store_batch(store, "b2", DAY2, [run])
    verdict = verdict_for(store, "b2", gate_settings(None), MAIN)
    assert (verdict.exit_code, rules_of(verdict), verdict.flaky_runs) == (0, [("warn", "flaky")], 1)
    assert verdict.warnings[0].message.startswith("Passed only on attempt 2 of 2")
    strict = verdict_for(store, "b2", gate_settings(None, fail_on_flaky=True), MAIN)
    assert (strict.exit_code, rules_of(strict)) == (1, [("error", "flaky")])


def test_a_run_that_could_not_be_measured_is_exit_3_unless_allowed(store: HistoryStore) -> None:
    broken = replace(recorded("clean"), outcome="error", reason="net::ERR_CONNECTION_REFUSED", steps=[],
                     findings=[])
    store_batch(store, "b2", DAY2, [broken])
    verdict = verdict_for(store, "b2", gate_settings(None), BaselineChoice())
    assert (verdict.result, verdict.exit_code) == ("unmeasured", 3)
    assert "could not measure “Buy a mug” on desktop: net::ERR_CONNECTION_REFUSED" in \
        verdict.errors[0].message
    allowed = verdict_for(store, "b2", gate_settings(None), BaselineChoice(), allow_unmeasured=True)
    assert (allowed.result, allowed.exit_code) == ("passed", 0)
    assert ("warn", "unmeasured") in rules_of(allowed)


def test_budgets_warn_at_the_limit_and_fail_past_the_margin(tmp_path: Path, store: HistoryStore) -> None:
    (tmp_path / "uxmon.toml").write_text(
        "[gate.budgets]\nclicks = 7\nseconds = 2\n\n"
        '[scenario."Buy a mug".gate]\nsteps = 6\nstep_seconds = { Payment = 0.1 }\n')
    store_batch(store, "b2", DAY2, [recorded("clean")])
    settings = gate_settings(load_config(tmp_path / "uxmon.toml"), known={"Buy a mug"})
    verdict = verdict_for(store, "b2", settings, BaselineChoice())
    found = {c.message: (c.level, c.rule, c.line) for c in verdict.checks if c.rule.endswith("budget")}
    assert found["Clicks 8 against a budget of 7"] == ("warn", "over-budget", None)
    assert found["Steps 7 against a budget of 6"] == ("warn", "over-budget", None)
    seconds = next(m for m in found if m.startswith("Run time"))
    assert found[seconds][:2] == ("error", "far-over-budget") and seconds.endswith("more than 50% over")
    payment = next(m for m in found if m.startswith("Time in step “Payment”"))
    assert found[payment] == ("error", "far-over-budget", LINES["Payment"])


def test_a_budget_for_a_journey_that_does_not_exist_names_file_and_key(tmp_path: Path) -> None:
    (tmp_path / "uxmon.toml").write_text('[scenario."Buy a mugg".gate]\nclicks = 7\n')
    config = load_config(tmp_path / "uxmon.toml")
    with pytest.raises(ConfigError, match=r"uxmon.toml: \[scenario.\"Buy a mugg\".gate\]: budget for a "
                                          r"journey that does not exist \(did you mean 'Buy a mug'\?\)"):
        gate_settings(config, known={"Buy a mug", "Reach a human"})


@pytest.mark.parametrize("toml, message", [
    ('[gate.rules]\nnew-high = "fatal"\n', "'new-high': must be one of off, warn, error"),
    ('[gate.rules]\nnew-hihg = "warn"\n', "unknown key 'new-hihg' (did you mean 'new-high'?)"),
    ('[gate.budgets]\nseconds = -1\n', "'seconds': must be greater than 0"),
    ('[gate]\nbudget_margn = 1\n', "unknown key 'budget_margn' (did you mean 'budget_margin'?)"),
])
def test_bad_gate_keys_are_config_errors(tmp_path: Path, toml: str, message: str) -> None:
    (tmp_path / "uxmon.toml").write_text(toml)
    with pytest.raises(ConfigError, match="uxmon.toml") as caught:
        load_config(tmp_path / "uxmon.toml")
    assert message in str(caught.value)


def test_more_steps_and_clicks_than_the_baseline_warn(store: HistoryStore) -> None:
    store_batch(store, "b1", DAY1, [recorded("clean")], label="main")
    popup = recorded("popup")  # one more click to close the newsletter popup
    more = replace(popup, steps=popup.steps + [replace(popup.steps[-1], index=8, name="Survey")])
    store_batch(store, "b2", DAY2, [more])
    settings = replace(gate_settings(None), more_clicks=1)
    verdict = verdict_for(store, "b2", settings, MAIN)
    messages = {c.rule: c.message for c in verdict.warnings}
    assert messages["more-steps"] == "Steps 8 against 7 in the baseline (+1)"
    assert messages["more-clicks"].startswith("Clicks 9 against 8 in the baseline")


def test_timings_are_judged_only_on_repeats(store: HistoryStore) -> None:
    store_batch(store, "b1", DAY1, repeated("clean", 5, stretch=[1.0, 1.02, 0.98, 1.01, 0.99]), label="main")
    store_batch(store, "b2", DAY2, [replace(recorded("clean"), duration_ms=20_000)])
    assert rules_of(verdict_for(store, "b2", gate_settings(None), MAIN)) == []  # one run: no verdict on time
    store_batch(store, "b3", "2026-11-03T10:00:00+00:00",
                repeated("clean", 5, stretch=[1.5, 1.55, 1.45, 1.6, 1.52]))
    verdict = verdict_for(store, "b3", gate_settings(None), MAIN)
    [slower] = verdict.warnings
    assert slower.rule == "slower" and "+52%" in slower.message and "5 runs vs 5" in slower.message
    assert "Mann-Whitney p = 0.004" in slower.message


def test_a_timing_change_needs_share_amount_and_significance() -> None:
    kw = {"min_change": 0.2, "min_ms": 250, "alpha": 0.05, "min_samples": 5}
    assert compare_times([1.0], [0.5], **kw) is None
    small = compare_times([1.1, 1.2, 1.15], [0.9, 0.95, 0.9], **kw)  # +25 % but +0.2 s
    assert small is not None and not small.regression
    big = compare_times([4.0, 4.1, 4.2], [3.0, 3.1], **kw)  # +34 %, +1 s, too few for the test
    assert big is not None and big.regression and big.p is None
    noisy = compare_times([1.0, 5.0, 1.1, 6.0, 1.0], [1.0, 5.2, 1.1, 1.2, 1.05], **kw)
    assert noisy is not None and noisy.now_s == 1.1 and not noisy.regression


def test_an_exported_baseline_file_judges_like_the_label(tmp_path: Path, store: HistoryStore) -> None:
    main = store_batch(store, "b1", DAY1, [recorded("late-fee")], label="main", git_sha="abc123456")
    store_batch(store, "b2", DAY2, [recorded("late-fee")])
    path = tmp_path / "baseline.json"
    path.write_text(to_json(stored_baseline(store, main, "label main")))
    again = read_baseline_file(path)
    assert again.journeys == stored_baseline(store, main, "label main").journeys
    assert again.describe() == f"batch b1 (label main, abc1234) from file {path}"
    verdict = verdict_for(store, "b2", gate_settings(None), BaselineChoice.of(str(path), "ignored"))
    assert rules_of(verdict) == [("warn", "known-friction")]


@pytest.mark.parametrize("text, message", [
    ("{", "not JSON"),
    ('{"journeys": []}', "not a uxmon baseline"),
    ('{"kind": "uxmon-baseline", "schema": 9}',
     "a baseline of schema 9; this uxmon reads schema 1: upgrade uxmon"),
    ('{"kind": "uxmon-baseline", "schema": 1, "batch": {}}', "a damaged uxmon baseline"),
])
def test_a_baseline_file_of_another_kind_or_schema_is_refused(text: str, message: str) -> None:
    with pytest.raises(BaselineError, match="b.json: ") as caught:
        from_json(text, "b.json")
    assert message in str(caught.value)


def test_a_missing_baseline_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BaselineError, match="nope.json: baseline file not found"):
        read_baseline_file(tmp_path / "nope.json")


def test_a_baseline_from_another_site_is_refused(tmp_path: Path, store: HistoryStore) -> None:
    other = store_batch(store, "b1", DAY1, [recorded("clean", "reach-a-human--desktop")])
    store_batch(store, "b2", DAY2, [recorded("clean")])
    path = tmp_path / "other.json"
    path.write_text(to_json(stored_baseline(store, other, "x")))
    with pytest.raises(BaselineError, match=r"has none of this batch's journeys \(it has Reach a human · "
                                            r"desktop\): is it from another site\?"):
        verdict_for(store, "b2", gate_settings(None), BaselineChoice(file=str(path)))


def test_an_unknown_batch_names_the_newest(store: HistoryStore) -> None:
    store_batch(store, "b1", DAY1, [recorded("clean")])
    with pytest.raises(GateInputError, match="no batch 'b9' in the history at .*the newest are b1"):
        verdict_for(store, "b9", gate_settings(None), BaselineChoice())


def test_a_stored_baseline_without_these_journeys_is_no_baseline(store: HistoryStore) -> None:
    store_batch(store, "b1", DAY1, [recorded("clean", "reach-a-human--desktop")], label="main")
    store_batch(store, "b2", DAY2, [recorded("clean")])
    verdict = verdict_for(store, "b2", gate_settings(None), MAIN)
    [check] = verdict.checks
    assert (check.rule, verdict.baseline, verdict.exit_code) == ("no-baseline", None, 0)
    assert check.message.startswith("No baseline: batch b1 (label main) has none of this batch's journeys;")
