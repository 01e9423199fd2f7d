"""The digest in words: subject, preheader, verdict, and each figure's change (▲▼ and a word)."""

from __future__ import annotations

from .model import Digest, Figure, JourneyLine

# Smaller changes than these are "about the same": noise, not news.
SAME = {"s": 0.1, "%": 0.5, "": 0.5, "pts": 0.5}
NEWS_SECONDS = 0.3   # a journey's time is news in the subject from this change on...
NEWS_SHARE = 0.10    # ...and this share of its usual time


def plural(count: int, word: str, many: str = "") -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def number(value: float | None, fig: Figure) -> str:
    if value is None:
        return "–"
    if fig.unit == "s":
        return f"{value:.1f} s" if value < 60 else f"{value / 60:.1f} min"
    if fig.unit == "%":
        return f"{value:.0f}%"
    return f"{value:.{fig.digits}f}"


def change(fig: Figure, noun: str = "") -> tuple[str, str]:
    """('▲', '1.8 s slower'), ('▼', '20 points worse'), ('', 'same'), ('', 'new')."""
    if fig.now is None or fig.before is None:
        return "", ""
    delta = fig.now - fig.before
    if abs(delta) < SAME.get(fig.unit, 0.5):
        return "", "about the same"
    arrow = "▲" if delta > 0 else "▼"
    better = (delta > 0) == fig.higher_is_better
    if fig.unit == "s":
        return arrow, f"{abs(delta):.1f} s {'faster' if better else 'slower'}"
    if fig.unit == "%":
        return arrow, f"{abs(delta):.0f} points {'better' if better else 'worse'}"
    judged = "better" if better else "worse"
    if fig.unit == "pts":
        return arrow, f"{abs(delta):.0f} points {'higher' if delta > 0 else 'lower'}, {judged}"
    more = "fewer" if delta < 0 else "more"
    return arrow, f"{abs(delta):.0f} {more}{' ' + noun if noun else ''}, {judged}"


def fill_words(digest: Digest, prefix: str) -> None:
    head = f"{prefix} {digest.kind}".strip()
    if digest.nothing_ran:
        digest.subject = f"{head} · nothing ran · {digest.period}"
        digest.verdict = (f"Nothing ran in {digest.period}: no customer journey was checked, so there "
                          f"is no news of how customers fared. Check that uxmon's schedule is running.")
        digest.preheader = "No journey was checked in this period."
        return
    digest.subject = " · ".join(p for p in (head, _counts(digest), _biggest(digest)) if p)
    digest.verdict = verdict(digest)
    digest.preheader = _preheader(digest)


def _counts(digest: Digest) -> str:
    new, fixed = len(digest.changes.new), len(digest.changes.fixed)
    if not new and not fixed:
        return "no new problems"
    parts = [plural(new, "new problem")] if new else []
    if fixed:
        parts.append(f"{fixed} fixed")
    return ", ".join(parts)


def _biggest(digest: Digest) -> str:
    """The one change worth the subject line: a failing journey, else the biggest slowdown."""
    failing = failing_by_scenario(digest.journeys)
    if failing:
        name, (failed, runs) = min(failing.items(), key=lambda kv: (-kv[1][0] / kv[1][1], kv[0]))
        return f"{name} failed {_runs(failed, runs)}"
    moved = [j for j in digest.journeys if _news(j)]
    if moved:
        top = max(moved, key=lambda j: abs((j.time.now or 0) - (j.time.before or 0)))
        return f"{top.name} {change(top.time)[1]}"
    return f"all {plural(len(digest.journeys), 'journey')} passed"


def notable(line: JourneyLine) -> bool:
    """Worth the full figures: it failed, or its time, clicks or score moved; else one line."""
    if line.failing or _news(line) or line.success.before is None:
        return True
    return any(change(fig)[0] for fig in (line.success, line.clicks, line.score))


def _news(line: JourneyLine) -> bool:
    now, before = line.time.now, line.time.before
    return now is not None and before is not None and before > 0 and \
        abs(now - before) >= NEWS_SECONDS and abs(now / before - 1) >= NEWS_SHARE


def failing_by_scenario(lines: list[JourneyLine]) -> dict[str, tuple[int, int]]:
    """'Buy a mug on desktop and mobile' → (runs that did not pass, runs), failing journeys only."""
    grouped: dict[str, list[JourneyLine]] = {}
    for line in lines:
        if line.failing:
            grouped.setdefault(line.scenario, []).append(line)
    return {f"{scenario} on {' and '.join(j.viewport for j in mine)}":
            (sum(j.runs - j.passed for j in mine), sum(j.runs for j in mine))
            for scenario, mine in grouped.items()}


def _runs(failed: int, runs: int) -> str:
    if runs == 1:
        return "its only run"
    return "every run" if failed == runs else f"{failed} of {runs} runs"


def verdict(digest: Digest) -> str:
    total = len(digest.journeys)
    failing = [j for j in digest.journeys if j.failing]
    new = len(digest.changes.new)
    if not failing:
        head = f"Customers got through {'the' if total == 1 else 'all'} {plural(total, 'journey')} " \
               f"in every run"
        return head + (f", but {plural(new, 'new problem')} got in their way." if new else
                       ", and nothing new got in their way.")
    grouped = list(failing_by_scenario(digest.journeys).items())
    names = ", ".join(f"{name} ({_runs(*counts)})" for name, counts in grouped[:3])
    more = f" and {len(grouped) - 3} more" if len(grouped) > 3 else ""
    rest = total - len(failing)
    tail = f"; the other {plural(rest, 'journey')} passed every run." if rest else "."
    return f"Customers could not finish {names}{more}{tail}"


def _preheader(digest: Digest) -> str:
    c = digest.changes
    counts = f"Since {digest.since}: {len(c.new)} new, {len(c.fixed)} fixed, {len(c.still)} still open."
    if digest.top:
        return f"{counts} Worst: {digest.top[0].title}"[:180]
    return counts
