"""The digest from history rows of recorded demo runs: subject, changes, top problems, journeys,
the text part, the HTML mail clients get, and hostile site text."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from tests.digests import PERIOD_END, history, save
from uxmon.history import HistoryStore
from uxmon.notify.email.digest import build_digest
from uxmon.notify.email.gather import batch_input, period_input
from uxmon.notify.email.message import attach_pictures, build_message
from uxmon.notify.email.model import Digest, clean
from uxmon.notify.email.period import Period
from uxmon.notify.email.render import MAX_HTML_BYTES, render_html, render_text

WEEK = timedelta(days=7)
FORBIDDEN = re.compile(r"<(script|svg|form|iframe|object|embed|link)\b|@font-face|@import|"
                       r"background-image|url\(|src=\"(?!cid:)|data:", re.IGNORECASE)


def weekly(root: Path, end: object = PERIOD_END, **kwargs: object) -> Digest:
    with HistoryStore(f"sqlite:///{root / 'reports' / 'history.sqlite'}") as store:
        return build_digest(period_input(store, Period.ending(end, WEEK), **kwargs))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("digest")
    history(folder)
    return folder


@pytest.fixture(scope="module")
def digest(root: Path) -> Digest:
    return weekly(root)


def test_the_subject_says_the_news(digest: Digest) -> None:
    assert digest.subject == "uxmon weekly · 4 new problems, 1 fixed · Buy a mug on desktop failed every run"
    assert digest.verdict == ("Customers could not finish Buy a mug on desktop (every run); "
                              "the other 3 journeys passed every run.")
    assert digest.preheader.startswith(
        "Since 23 Nov 2026: 4 new, 1 fixed, 0 still open. Worst: “Sorry, Blue Mug")
    assert (digest.runs, digest.batches, digest.viewports) == (8, 2, ["desktop", "mobile"])
    assert digest.period == "23 Nov – 30 Nov 2026"


def test_what_changed_is_counted_by_fingerprint(digest: Digest) -> None:
    new = {(p.rule, p.step_name) for p in digest.changes.new}
    assert new == {("late-blocker", "Confirmation"), ("viewport-parity", "Confirmation"),
                   ("sideways-scroll", "Product"), ("sideways-scroll", "Cart")}
    fixed = sorted((p.rule, tuple(p.viewports)) for p in digest.changes.fixed)
    # The same problem on both viewports is one, even when its words carry different timings.
    # The clean shop's well-spaced small link is no friction (WCAG 2.5.8's spacing exception), so
    # only the buried support contact was there to be fixed.
    assert fixed == [("support-reach", ("desktop", "mobile"))]
    assert digest.changes.still == []
    # The slow payment on the phone came and went inside the week: neither open nor fixed.
    assert "slow-answer" not in {p.rule for p in digest.changes.new + digest.changes.fixed}


def test_the_top_problems_are_the_worst_open_ones_with_their_cost(digest: Digest) -> None:
    first, second, third = digest.top
    assert first.rule == "late-blocker" and first.severity == "critical"
    assert first.where == "Buy a mug on desktop · Confirmation"
    assert (first.runs_hit, first.runs_checked, first.clicks, first.seconds) == (2, 2, 8, 10.1)
    assert first.picture.endswith("/reports/b3/runs/buy-a-mug--desktop/finding-01.jpg")
    assert first.box == (40, 300, 320, 60)
    assert second.rule == "viewport-parity"
    assert third.rule == "sideways-scroll" and (third.runs_hit, third.runs_checked) == (1, 2)


def test_each_journey_against_the_week_before(digest: Digest) -> None:
    lines = {j.name: j for j in digest.journeys}
    assert [j.name for j in digest.journeys][0] == "Buy a mug on desktop"  # failing first
    desktop = lines["Buy a mug on desktop"]
    assert (desktop.strip, desktop.success.now, desktop.success.before) == ("✗✗", 0.0, 100.0)
    assert desktop.reason.startswith("“Sorry, Blue Mug is out of stock.")  # the rule's words
    phone = lines["Buy a mug on mobile"]
    assert phone.strip == "✓✓" and phone.time.before is not None and phone.time.now is not None
    assert round(phone.time.now - phone.time.before, 1) == 1.4
    support = lines["Reach a human on mobile"]
    assert (support.clicks.now, support.clicks.before) == (3, 6)
    assert 0 < phone.bar_before < phone.bar_now <= 100


def test_the_text_part_reads_on_its_own(digest: Digest) -> None:
    text = render_text(digest)
    order = ["uxmon weekly, 23 Nov – 30 Nov 2026", "Customers could not finish",
             "WHAT CHANGED SINCE 23 NOV 2026", "4 new, 1 fixed, 0 still open",
             "THE TOP 3 PROBLEMS CUSTOMERS MEET NOW", "1. [CRITICAL] “Sorry, Blue Mug is out of stock.",
             "JOURNEY BY JOURNEY", "Buy a mug on mobile: 2 of 2 runs passed",
             "run time:         4.5 s  ▲ 1.4 s slower (was 3.0 s)",
             "Checked: 8 runs in 2 batches on desktop and mobile, 23 Nov – 30 Nov 2026."]
    places = [text.index(part) for part in order]
    assert places == sorted(places)
    assert "In 2 of 2 runs; customers had made 8 clicks and spent 10.1 s before it." in text
    long = [line for line in text.splitlines() if len(line) > 78 and " " in line.strip()]
    assert long == []
    assert "<p" not in text and "<td" not in text


def test_the_html_is_one_inlined_table_mail_clients_render(root: Path, digest: Digest) -> None:
    pictures = attach_pictures(digest)
    html = render_html(digest)
    assert len(html.encode()) <= MAX_HTML_BYTES
    assert FORBIDDEN.search(html) is None, FORBIDDEN.search(html)
    assert '<meta name="color-scheme" content="light dark">' in html
    assert "@media (prefers-color-scheme: dark)" in html  # kept for Apple Mail and Outlook.com
    sheet = re.search(r'<table class="sheet"[^>]*>', html)
    assert sheet and 'width="600"' in sheet[0] and "max-width:600px" in sheet[0]
    assert 'style="' in html and ".band{" not in html.split("@media")[0]  # rules were inlined
    assert len(pictures) == 3 and all(f'src="cid:{p.cid}"' in html for p in pictures)
    assert "In 2 of 2 runs; customers had made 8 clicks and spent 10.1 s before it." in html
    assert "▲ 1.4 s slower" in html and "✓ 2 of 2 runs passed" in html


def test_the_message_tree_and_every_picture_it_names(digest: Digest) -> None:
    pictures = attach_pictures(digest)
    message = build_message(digest, "uxmon <uxmon@example.com>", ["cx-team@example.com"], pictures=pictures)
    tree = [(part.get_content_type(), part.get("Content-ID")) for part in message.walk()]
    assert [t for t, _ in tree] == ["multipart/alternative", "text/plain", "multipart/related",
                                    "text/html", "image/jpeg", "image/jpeg", "image/jpeg"]
    html = next(p for p in message.walk() if p.get_content_type() == "text/html").get_content()
    cids = set(re.findall(r'src="cid:([^"]+)"', html))
    assert cids == {cid.strip("<>") for _, cid in tree if cid}
    for part in message.walk():
        if part.get_content_type() == "image/jpeg":
            assert part.get_content_disposition() == "inline"
            assert len(part.get_content()) <= 120_000
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"].endswith("@example.com>") and message["Date"]
    assert message["Subject"] == digest.subject


def test_a_week_without_batches_says_nothing_ran(root: Path) -> None:
    quiet = weekly(root, PERIOD_END + timedelta(days=30))
    assert quiet.nothing_ran and quiet.subject.startswith("uxmon weekly · nothing ran · ")
    assert "Nothing ran in" in quiet.verdict and "schedule is running" in quiet.verdict
    assert "Checked: nothing" in render_text(quiet)
    assert FORBIDDEN.search(render_html(quiet)) is None


def test_a_quiet_week_is_quiet(tmp_path: Path) -> None:
    clean_shop = ["clean--buy-a-mug--desktop", "clean--reach-a-human--desktop"]
    history(tmp_path, {"a": ("2026-11-20T08:00:00+00:00", clean_shop),
                       "b": ("2026-11-27T08:00:00+00:00", clean_shop)})
    digest = weekly(tmp_path)
    assert digest.quiet
    assert digest.subject == "uxmon weekly · no new problems · all 2 journeys passed"
    assert digest.verdict == ("Customers got through all 2 journeys in every run, "
                              "and nothing new got in their way.")


def test_one_batch_against_the_one_before(root: Path) -> None:
    with HistoryStore(f"sqlite:///{root / 'reports' / 'history.sqlite'}") as store:
        data = batch_input(store, "b3", PERIOD_END.tzinfo)  # type: ignore[arg-type]
    assert data is not None
    report = build_digest(data)
    assert report.subject == ("uxmon report · 2 new problems, 1 fixed · "
                              "Buy a mug on desktop failed its only run")
    assert {p.rule for p in report.changes.new} == {"sideways-scroll"}
    assert {p.rule for p in report.changes.fixed} == {"slow-answer"}
    assert report.period == "batch b3, 27 Nov 2026 08:00 UTC" and report.since == "25 Nov 2026 08:00 UTC"


def test_many_journeys_are_cut_to_fit_the_size_budget(digest: Digest) -> None:
    many = Digest(**{**digest.__dict__, "journeys": digest.journeys * 60})
    html = render_html(many, budget=60_000)
    assert len(html.encode()) <= 60_000
    assert "more journeys: see the full report" in html
    assert html.index("Buy a mug on desktop") < html.index("more journeys")


HOSTILE = "<script>alert(1)</script>\x00\x1b[31m\u202eevil <img src=x onerror=alert(2)>"


def test_hostile_site_text_is_shown_safely(tmp_path: Path) -> None:
    (tmp_path / "reports").mkdir()
    with HistoryStore(f"sqlite:///{tmp_path / 'reports' / 'history.sqlite'}") as store:
        def poison(run: object) -> None:
            run.scenario = f"Buy {HOSTILE}"  # type: ignore[attr-defined]
            for step in run.steps:  # type: ignore[attr-defined]
                step.name = HOSTILE
        save(store, tmp_path, "h1", "2026-11-27T08:00:00+00:00", ["late-stock--buy-a-mug--desktop"], poison)
        for row in store.runs_of_batch("h1"):
            assert row.scenario.startswith("Buy <script>")
        digest = build_digest(period_input(store, Period.ending(PERIOD_END, WEEK)))
    html, text = render_html(digest), render_text(digest)
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    for shown in (html, text, digest.subject):
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202e\ud800-\udfff]", shown)
    message = build_message(digest, "uxmon@example.com", ["a@example.com"])
    assert "\n" not in str(message["Subject"]).replace("\n ", "")


def test_broken_unicode_in_rows_still_makes_a_message(root: Path) -> None:
    with HistoryStore(f"sqlite:///{root / 'reports' / 'history.sqlite'}") as store:
        data = period_input(store, Period.ending(PERIOD_END, WEEK))
    broken = [replace(f, title=f"Pay\ud800 now\x1b {HOSTILE}", step_name="Pay\udfff")
              for f in data.now.findings]
    digest = build_digest(replace(data, now=replace(data.now, findings=broken)))
    message = build_message(digest, "uxmon@example.com", ["a@example.com"])
    assert message.as_bytes()  # encodes: no lone surrogate is left
    html = next(p for p in message.walk() if p.get_content_type() == "text/html").get_content()
    assert "Pay\ufffd now" in digest.top[0].title and "<script>" not in html


def test_clean_keeps_words_and_drops_what_is_not_text() -> None:
    assert clean("  Pay\u00a0now\n\t \x07 ") == "Pay now"
    assert clean("a\ud83db") == "a\ufffdb"
    assert clean("x" * 400).endswith("…") and len(clean("x" * 400)) == 300
