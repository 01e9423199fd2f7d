"""[[schedule]] entries: validation at load (file, key, entry), cron's Sunday = 0, DST, catch-up, dry-run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import uxmon.cli  # noqa: F401 - registers [[schedule]] and [[alerts]] as the CLI does
from uxmon.cli import main
from uxmon.config import ConfigError, load_config
from uxmon.schedule.crontab import catch_up_due, cron_days, cron_trigger, dst_warning, fire_times, zone
from uxmon.schedule.jobs import prepare
from uxmon.schedule.serve import dry_run
from uxmon.schedule.settings import entries

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"


def config_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "uxmon.toml"
    path.write_text(f'scenarios = ["{SCENARIOS}"]\n' + body)
    return path


def error_of(tmp_path: Path, body: str) -> str:
    path = config_file(tmp_path, body)
    with pytest.raises(ConfigError) as err:
        load_config(path, environ={})
    return str(err.value).replace(str(path), "uxmon.toml")


@pytest.mark.parametrize(("body", "message"), [
    ('[[schedule]]\nname = "a"\ntags = ["x"]\ncron = "*/15 * * *"\n',
     "uxmon.toml: [[schedule]] #1 'a': 'cron': '*/15 * * *' has 4 fields; cron has five: "
     "minute hour day-of-month month day-of-week"),
    ('[[schedule]]\nname = "a"\ntags = ["x"]\ncron = "0 25 * * *"\n',
     "uxmon.toml: [[schedule]] #1 'a': 'cron': '0 25 * * *': Error validating expression '25': "
     "the last value (25) is higher than the maximum value (23)"),
    ('[[schedule]]\nname = "a"\ntags = ["x"]\ncron = "0 3 1 * 1"\n',
     "uxmon.toml: [[schedule]] #1 'a': 'cron': '0 3 1 * 1' restricts both day of month and day of "
     "week; cron runs when either matches, uxmon would run only when both do: use two entries"),
    ('[[schedule]]\nname = "a"\ntags = ["x"]\nevery = "10m"\ntimezone = "Mars/Olympus"\n',
     "uxmon.toml: [[schedule]] #1 'a': 'timezone': unknown time zone 'Mars/Olympus': use an IANA name "
     "such as 'Europe/Berlin' or 'UTC'"),
    ('[[schedule]]\nname = "a"\ntags = ["x"]\nevery = "10m"\n[[schedule]]\nname = "a"\ntags = ["y"]\n'
     'every = "1h"\n', "uxmon.toml: [[schedule]] #2 'a': 'name': 'a' is already the name of [[schedule]] #1"),
    ('[[schedule]]\nname = "a"\nevery = "10m"\n',
     "uxmon.toml: [[schedule]] #1 'a': name its scenarios with 'paths' (files or folders) and/or 'tags'"),
    ('[[schedule]]\nname = "a"\ntags = ["x"]\n',
     "uxmon.toml: [[schedule]] #1 'a': give exactly one of 'cron' (e.g. \"*/15 * * * *\") or 'every' "
     "(e.g. \"10m\")"),
    ('[[schedule]]\ntags = ["x"]\nevery = "10m"\n[[schedule]]\ntags = ["x"]\nevery = "ten minutes"\n',
     "uxmon.toml: [[schedule]] #2: 'every': 'ten minutes' is not a duration like '30s', '10m', '1h' or "
     "'2d' (got 'ten minutes')"),
    ('[[schedule]]\nname = "a"\ntags = ["x"]\nevery = "10m"\ncorn = "x"\n',
     "uxmon.toml: [[schedule]] #1 'a': unknown key 'corn' (did you mean 'cron'?)"),
    ('[[schedule]]\nname = "d"\ndigest = true\ncron = "@weekly"\ntags = ["x"]\n',
     "uxmon.toml: [[schedule]] #1 'd': 'tags': a digest entry sends the digest; it runs no scenarios"),
    ('[[schedule]]\nname = "a"\ntags = ["x"]\nevery = "1h"\nsince = "7d"\n',
     "uxmon.toml: [[schedule]] #1 'a': 'since': only a digest entry (digest = true) takes it"),
    ('[schedule]\nname = "a"\n',
     "uxmon.toml: [schedule]: write each entry as [[schedule]] (an array of tables)"),
])
def test_bad_entries_are_refused_naming_file_entry_and_key(tmp_path: Path, body: str, message: str) -> None:
    assert error_of(tmp_path, body) == message


def test_the_cli_exits_2_on_a_bad_entry_and_prints_no_traceback(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = config_file(tmp_path, '[[schedule]]\nname = "a"\ntags = ["x"]\ncron = "61 * * * *"\n')
    assert main(["schedule", "--dry-run", "-c", str(path)]) == 2
    err = capsys.readouterr().err
    assert "[[schedule]] #1 'a': 'cron': '61 * * * *'" in err and "Traceback" not in err


def test_an_entry_selecting_no_scenario_is_a_config_error(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = config_file(tmp_path, '[[schedule]]\nname = "ghost"\ntags = ["no-such-tag"]\nevery = "5m"\n')
    assert main(["schedule", "--dry-run", "-c", str(path)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert f"[[schedule]] #1 'ghost': 'tags': no scenarios found in {SCENARIOS} with tags no-such-tag" in err


def test_a_config_without_entries_is_a_usage_error(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = config_file(tmp_path, "")
    assert main(["schedule", "-c", str(path)]) == 2
    assert "no [[schedule]] entries" in capsys.readouterr().err


@pytest.mark.parametrize(("field", "days"), [
    ("0", "sun"), ("7", "sun"), ("1", "mon"), ("6", "sat"), ("1-5", "mon,tue,wed,thu,fri"),
    ("0,6", "sun,sat"), ("*/2", "sun,tue,thu,sat"), ("1/2", "mon,wed,fri"), ("5-7", "sun,fri,sat"),
    ("MON-Fri", "mon,tue,wed,thu,fri"), ("sun,3", "sun,wed"), ("*", "*"),
])
def test_cron_day_of_week_counts_from_sunday(field: str, days: str) -> None:
    assert cron_days(field) == days


def test_sunday_zero_fires_on_sundays_not_mondays() -> None:
    """APScheduler would read 0 as Monday; the translated trigger fires on Sunday 2026-11-08."""
    monday = dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
    times = fire_times(cron_trigger("0 9 * * 0", zone("UTC")), 2, monday)
    assert [t.strftime("%a %d %H:%M") for t in times] == ["Sun 08 09:00", "Sun 15 09:00"]
    saturday = dt.datetime(2026, 11, 7, tzinfo=dt.UTC)
    weekdays = fire_times(cron_trigger("30 6 * * 1-5", zone("UTC")), 5, saturday)
    assert [t.strftime("%a") for t in weekdays] == ["Mon", "Tue", "Wed", "Thu", "Fri"]


def test_shortcuts() -> None:
    start = dt.datetime(2026, 11, 4, 10, 20, tzinfo=dt.UTC)  # a Wednesday
    assert fire_times(cron_trigger("@hourly", zone("UTC")), 1, start)[0].strftime("%H:%M") == "11:00"
    assert fire_times(cron_trigger("@daily", zone("UTC")), 1, start)[0].strftime("%d %H:%M") == "05 00:00"
    assert fire_times(cron_trigger("@weekly", zone("UTC")), 1, start)[0].strftime("%a %d") == "Sun 08"


def test_dst_warning_only_for_chosen_small_hours_in_a_dst_zone() -> None:
    berlin = zone("Europe/Berlin")
    assert "02:xx in Europe/Berlin" in dst_warning("30 2 * * *", berlin, "Europe/Berlin")
    assert dst_warning("30 4 * * *", berlin, "Europe/Berlin") == ""
    assert dst_warning("*/10 * * * *", berlin, "Europe/Berlin") == ""  # every hour: nothing to choose
    assert dst_warning("30 2 * * *", zone("UTC"), "UTC") == ""
    assert dst_warning("30 2 * * *", zone("Asia/Tokyo"), "Asia/Tokyo") == ""


def test_catch_up_is_due_only_when_a_fire_time_passed_since_the_last_batch() -> None:
    trigger = cron_trigger("0 * * * *", zone("UTC"))
    last = dt.datetime(2026, 11, 4, 10, 0, 5, tzinfo=dt.UTC)
    assert catch_up_due(trigger, last, dt.datetime(2026, 11, 4, 10, 59, tzinfo=dt.UTC)) is None
    due = catch_up_due(trigger, last, dt.datetime(2026, 11, 4, 13, 30, tzinfo=dt.UTC))
    assert due == dt.datetime(2026, 11, 4, 13, 0, tzinfo=dt.UTC)  # one run, for the newest missed time
    assert catch_up_due(trigger, None, dt.datetime(2026, 11, 4, 13, 30, tzinfo=dt.UTC)) is None


def test_dry_run_lists_five_times_in_the_zone_and_in_utc(tmp_path: Path) -> None:
    path = config_file(tmp_path, '[[schedule]]\nname = "nightly"\npaths = ["' + str(SCENARIOS) + '"]\n'
                       'cron = "30 2 * * *"\ntimezone = "Europe/Berlin"\n'
                       '[[schedule]]\nname = "purchase"\ntags = ["purchase"]\nevery = "10m"\n'
                       'viewports = ["desktop", "mobile"]\n')
    config = load_config(path, environ={})
    jobs = prepare(config, entries(config))
    text = dry_run(jobs, now=dt.datetime(2026, 3, 27, 12, tzinfo=dt.UTC))
    lines = text.splitlines()
    assert lines[0].startswith("nightly: cron '30 2 * * *' (Europe/Berlin); 4 run(s) from ")
    assert "deadline 780 s, misfire grace 300 s" in lines[0]
    assert lines[1].startswith("  warning: fires at 02:xx in Europe/Berlin")
    assert lines[2] == "  2026-03-28 02:30:00 CET   2026-03-28 01:30:00 UTC"
    assert lines[4] == "  2026-03-30 02:30:00 CEST   2026-03-30 00:30:00 UTC"
    assert len([line for line in lines if line.endswith(" UTC")]) == 10
    purchase = next(line for line in lines if line.startswith("purchase:"))
    assert "every 600 s; 2 run(s) from the config's scenarios tagged purchase" in purchase
    assert "misfire grace 300 s" in purchase
