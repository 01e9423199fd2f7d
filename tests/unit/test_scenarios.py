"""Scenario discovery: decorator, files and folders, and files that do not import."""

from pathlib import Path

import pytest

import uxmon
from uxmon.authoring.scenarios import ScenarioDefinitionError, discover, select

GOOD = '''
import uxmon

@uxmon.scenario("Buy a mug", tags=["purchase"], viewports=["mobile"], timeout=60)
def buy(journey):
    """Buy the blue mug."""

@uxmon.scenario
def reach_support(journey):
    pass
'''


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_scenarios_are_found_in_a_folder_with_their_details(tmp_path: Path) -> None:
    good = write(tmp_path / "journeys" / "shop.py", GOOD)
    write(tmp_path / "journeys" / "_helpers.py", "raise RuntimeError('never imported')")
    found = discover([tmp_path / "journeys"])
    assert found.errors == []
    by_name = {s.name: s for s in found.scenarios}
    assert sorted(by_name) == ["Buy a mug", "reach support"]
    buy = by_name["Buy a mug"]
    assert buy.tags == ("purchase",) and buy.viewports == ("mobile",) and buy.timeout == 60
    assert buy.description == "Buy the blue mug."
    assert Path(buy.file) == good.resolve() and buy.line == 4


def test_a_broken_file_names_file_and_line_and_the_rest_still_load(tmp_path: Path) -> None:
    write(tmp_path / "a_good.py", GOOD)
    write(tmp_path / "b_syntax.py", "import uxmon\n\ndef oops(:\n    pass\n")
    write(tmp_path / "c_name.py", "import uxmon\n\nx = 1\nundefined_thing()\n")
    found = discover([tmp_path])
    assert [s.name for s in found.scenarios] == ["Buy a mug", "reach support"]
    messages = sorted(str(e) for e in found.errors)
    assert messages[0].startswith(f"{tmp_path / 'b_syntax.py'}:3: SyntaxError")
    assert messages[1] == f"{tmp_path / 'c_name.py'}:4: NameError: name 'undefined_thing' is not defined"


def test_bad_decorator_arguments_are_load_errors_with_the_line(tmp_path: Path) -> None:
    write(tmp_path / "bad.py", "import uxmon\n\n@uxmon.scenario('x', timeout=-1)\ndef f(j):\n    pass\n")
    found = discover([tmp_path])
    assert found.scenarios == []
    (error,) = found.errors
    assert error.line == 3 and "timeout must be a positive number of seconds" in error.message


def test_duplicate_names_are_reported(tmp_path: Path) -> None:
    write(tmp_path / "one.py", GOOD)
    write(tmp_path / "two.py", "import uxmon\n\n@uxmon.scenario('Buy a mug')\ndef again(j):\n    pass\n")
    found = discover([tmp_path])
    assert [s.name for s in found.scenarios].count("Buy a mug") == 1
    (error,) = found.errors
    assert "scenario name 'Buy a mug' is already used at" in error.message


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    found = discover([tmp_path / "nowhere"])
    assert [e.message for e in found.errors] == ["no such scenario file or folder"]


def test_a_file_list_works_like_a_folder(tmp_path: Path) -> None:
    path = write(tmp_path / "x.py", GOOD)
    assert len(discover([path]).scenarios) == 2


def test_decorator_rejects_nonsense() -> None:
    with pytest.raises(ScenarioDefinitionError, match="tags must be a list of non-empty strings"):
        uxmon.scenario("x", tags=[""])
    with pytest.raises(ScenarioDefinitionError, match="scenario name must be a string"):
        uxmon.scenario(42)  # type: ignore[call-overload]


def test_select_by_tag_and_name(tmp_path: Path) -> None:
    scenarios = discover([write(tmp_path / "x.py", GOOD)]).scenarios
    assert [s.name for s in select(scenarios, tags=["purchase"])] == ["Buy a mug"]
    assert [s.name for s in select(scenarios, names=["SUPPORT"])] == ["reach support"]
    assert select(scenarios, tags=["nope"]) == []
