"""Money parsing, vocabulary, and [friction] settings: the pure pieces the rules stand on."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from uxmon.config import load_config
from uxmon.config.schema import ConfigError
from uxmon.friction import settings_for
from uxmon.friction.money import check_total, cost_lines, labelled_amounts, parse_amount
from uxmon.friction.vocabulary import build_vocabulary


@pytest.mark.parametrize(("text", "value", "currency"), [
    ("$1,299.00", "1299.00", "$"),
    ("1.299,00 €", "1299.00", "€"),
    ("CHF 1'299.50", "1299.50", "CHF"),
    ("£4.95", "4.95", "£"),
    ("− $5.00", "-5.00", "$"),
    ("-4,50 €", "-4.50", "€"),
])
def test_amounts_in_several_formats(text: str, value: str, currency: str) -> None:
    amount = parse_amount(text)
    assert amount is not None
    assert amount.value == Decimal(value) and amount.currency == currency


def test_labels_pair_with_amounts_on_one_line_or_the_next() -> None:
    text = "Subtotal: $19.00\nShipping\n$4.30\nService fee $3.95\nTotal $27.25"
    assert [(c.label, str(c.amount.value)) for c in labelled_amounts(text)] == [
        ("Subtotal", "19.00"), ("Shipping", "4.30"), ("Service fee", "3.95"), ("Total", "27.25")]


def test_cost_lines_keep_costs_and_drop_totals_and_discounts() -> None:
    text = "Zwischensumme 19,00 €\nVersand 4,95 €\nGutschein -2,00 €\nGesamt 21,95 €"
    assert [c.label for c in cost_lines(text, build_vocabulary())] == ["Versand"]


def test_a_total_that_hides_a_charge_is_caught_and_one_that_adds_up_is_not() -> None:
    words = build_vocabulary()
    hidden = check_total("Subtotal $19.00\nShipping $4.30\nTotal $26.30", words)
    assert hidden is not None and hidden.unexplained == Decimal("3.00")
    fair = check_total("Subtotal $19.00\nShipping $4.30\nTotal $23.30", words)
    assert fair is not None and fair.unexplained == Decimal("0.00")
    assert check_total("Mug $19.00\nTotal $26.30", words) is None  # no subtotal: not judged


@pytest.mark.parametrize("text", ["Sorry, out of stock", "Leider ausverkauft", "Article épuisé",
                                  "Producto agotado", "Er is iets misgegaan", "Your card was declined"])
def test_blockers_in_several_languages(text: str) -> None:
    assert build_vocabulary().blocker_in(text)


@pytest.mark.parametrize("text", ["stockholm", "In stock", "Available now", "soldout-banner.png"])
def test_blockers_match_whole_words_only(text: str) -> None:
    assert build_vocabulary().blocker_in(text) == ""


def test_unavailable_is_not_read_as_available() -> None:
    assert build_vocabulary().available_in("Currently unavailable") == ""


def test_configured_phrases_and_patterns_extend_or_replace_the_vocabulary() -> None:
    extended = build_vocabulary({"blockers": ["nicht mehr vorrätig"], "blocker_patterns": [r"code E\d{3}"]})
    assert extended.blocker_in("Leider nicht mehr vorrätig!") == "nicht mehr vorrätig"
    assert extended.blocker_in("Abbruch: code E042") == "code E042"
    assert extended.blocker_in("nicht mehr vorrätige Farben") == ""  # phrases are whole words
    assert extended.blocker_in("sold out")
    replaced = build_vocabulary({"blockers": ["kaputt"], "replace": True})
    assert replaced.blocker_in("sold out") == "" and replaced.blocker_in("alles kaputt")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "uxmon.toml"
    path.write_text(text)
    return path


def test_friction_settings_merge_global_and_scenario_values(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, """
[friction]
slow_answer_ms = 1500
disabled = ["small-text"]
step_budgets = { Payment = 4000 }
[friction.vocabulary]
blockers = ["nicht mehr vorrätig"]

[scenario."Buy a mug".friction]
slow_answer_ms = 800
max_steps = 6
disabled = ["mobile"]
"""), environ={})
    buy = settings_for(config, "Buy a mug")
    assert buy.thresholds.slow_answer_ms == 800 and buy.thresholds.max_steps == 6
    assert buy.thresholds.step_budgets == {"Payment": 4000}
    assert buy.disabled == {"small-text", "mobile"}
    assert buy.vocabulary.blocker_in("Leider nicht mehr vorrätig")
    other = settings_for(config, "Reach a human")
    assert other.thresholds.slow_answer_ms == 1500 and other.thresholds.max_steps == 10
    assert not other.enabled("small-text", "mobile") and other.enabled("small-target", "mobile")


@pytest.mark.parametrize(("text", "message"), [
    ("[friction]\nslow_answer_ms = -1\n", "[friction]: 'slow_answer_ms'"),
    ("[friction]\nslow_anwser_ms = 1\n", "slow_anwser_ms"),
    ('[friction.vocabulary]\nblocker_patterns = ["(unclosed"]\n', "blocker_patterns"),
    ('[friction]\nstep_budgets = { Payment = "fast" }\n', "Payment"),
])
def test_bad_friction_values_name_the_key_and_the_file(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text), environ={})
    assert message in str(caught.value) and "uxmon.toml" in str(caught.value)


def test_a_rule_of_ones_own_runs_with_the_built_in_ones() -> None:
    import uxmon
    from uxmon.friction import RULES
    from uxmon.records import Step, Viewport

    @uxmon.rule("no-guest-checkout", "length", "Guest checkout not offered")
    def no_guest(run: uxmon.RunRecord, ctx: uxmon.RuleContext):  # type: ignore[no-untyped-def]
        for step in run.steps:
            if step.name == "Sign in" and "guest" not in step.text.lower():
                yield ctx.finding(run, "no-guest-checkout", "medium", "No guest checkout", step=step)

    try:
        run = uxmon.RunRecord("r", "b", "Buy", Viewport("desktop", 1366, 768), "passed",
                              steps=[Step(1, "Cart", 0.0), Step(2, "Sign in", 100.0, text="Password")])
        [finding] = uxmon.analyse_run(run)
        assert (finding.rule, finding.step_name, finding.effort.steps) == ("no-guest-checkout", "Sign in", 1)
    finally:
        RULES.pop("no-guest-checkout")
