"""Config loading: file discovery, validation messages, and the order of overrides."""

from pathlib import Path

import pytest

from uxmon.config import find_config_file, load_config
from uxmon.config.schema import ConfigError


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_defaults_without_a_file(tmp_path: Path) -> None:
    config = load_config(search_from=tmp_path, environ={})
    assert config.viewports == ("desktop", "mobile")
    assert config.workers == 1 and config.retries == 0
    assert config.output == "reports" and config.trace == "on-failure"
    assert config.timeouts.run == 180 and config.timeouts.action == 10


def test_uxmon_toml_is_found_walking_up_to_the_repository_root(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "uxmon.toml", 'base_url = "https://shop.example.com"\nworkers = 3\n')
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_config_file(deep) == tmp_path / "uxmon.toml"
    config = load_config(search_from=deep, environ={})
    assert config.base_url == "https://shop.example.com" and config.workers == 3


def test_search_stops_at_the_repository_root(tmp_path: Path) -> None:
    write(tmp_path / "uxmon.toml", "workers = 2\n")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    assert find_config_file(repo) is None


def test_tool_table_in_pyproject(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname="x"\n[tool.uxmon]\nviewports = ["mobile"]\n')
    config = load_config(search_from=tmp_path, environ={})
    assert config.viewports == ("mobile",)
    assert config.source == str(tmp_path / "pyproject.toml")


def test_pyproject_without_tool_table_is_not_a_config(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "pyproject.toml", '[project]\nname="x"\n')
    assert find_config_file(tmp_path) is None


def test_unknown_key_names_file_key_and_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path / "uxmon.toml", "wokers = 2\n")
    with pytest.raises(ConfigError) as err:
        load_config(path, environ={})
    assert str(err.value) == f"{path}: unknown key 'wokers' (did you mean 'workers'?)"


def test_bad_value_names_file_and_key(tmp_path: Path) -> None:
    path = write(tmp_path / "uxmon.toml", 'workers = "two"\n')
    with pytest.raises(ConfigError) as err:
        load_config(path, environ={})
    assert str(err.value) == f"{path}: 'workers': expected a whole number, got 'two'"


@pytest.mark.parametrize(("text", "message"), [
    ("workers = 0\n", "'workers': must be greater than 0 (got 0)"),
    ('base_url = "shop.example.com"\n', "'base_url': must be an http:// or https:// URL with a host"),
    ('trace = "sometimes"\n', "'trace': must be one of on-failure, always, off"),
    ("[timeouts]\nrun = -1\n", "[timeouts]: 'run': must be greater than 0"),
    ("[timeouts]\nrunn = 5\n", "[timeouts]: unknown key 'runn' (did you mean 'run'?)"),
    ("[profiles.tablet]\nwidht = 800\n", "[profiles.tablet]: unknown key 'widht' (did you mean 'width'?)"),
    ("screenshots = 1\n", "'screenshots': expected true or false, got 1"),
    ("workers = true\n", "'workers': expected a whole number, got True"),
])
def test_each_bad_value_gets_a_precise_message(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path / "uxmon.toml", text)
    with pytest.raises(ConfigError, match=None) as err:
        load_config(path, environ={})
    assert str(err.value).startswith(f"{path}: ")
    assert message in str(err.value)


def test_broken_toml_is_a_config_error(tmp_path: Path) -> None:
    path = write(tmp_path / "uxmon.toml", "workers = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(path, environ={})


def test_missing_explicit_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.toml", environ={})


def test_environment_overrides_file_and_flags_override_environment(tmp_path: Path) -> None:
    path = write(tmp_path / "uxmon.toml", 'workers = 2\nviewports = ["desktop"]\n')
    env = {"UXMON_WORKERS": "3", "UXMON_VIEWPORTS": "mobile, mobile-slow4g"}
    from_env = load_config(path, environ=env)
    assert from_env.workers == 3 and from_env.viewports == ("mobile", "mobile-slow4g")
    from_flags = load_config(path, environ=env, overrides={"workers": 4, "viewports": None})
    assert from_flags.workers == 4 and from_flags.viewports == ("mobile", "mobile-slow4g")


def test_bad_environment_value_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="environment UXMON_WORKERS: expected a whole number"):
        load_config(search_from=tmp_path, environ={"UXMON_WORKERS": "many"})


def test_env_placeholders_are_filled_and_missing_ones_named(tmp_path: Path) -> None:
    path = write(tmp_path / "uxmon.toml", 'base_url = "https://${SHOP_HOST}"\n')
    assert load_config(path, environ={"SHOP_HOST": "a.example"}).base_url == "https://a.example"
    with pytest.raises(ConfigError, match=r"\$\{SHOP_HOST\} is used but the variable is not set"):
        load_config(path, environ={})


def test_relative_paths_are_relative_to_the_config_file(tmp_path: Path) -> None:
    path = write(tmp_path / "proj" / "uxmon.toml", 'output = "out"\nscenarios = "journeys"\n')
    config = load_config(path, environ={})
    assert config.path(config.output) == tmp_path / "proj" / "out"
    assert config.scenarios == ("journeys",)


def test_timeout_flag_goes_into_the_timeouts_section(tmp_path: Path) -> None:
    config = load_config(search_from=tmp_path, environ={}, overrides={"timeouts.run": 30.0})
    assert config.timeouts.run == 30.0


def test_per_scenario_table_is_validated(tmp_path: Path) -> None:
    path = write(tmp_path / "uxmon.toml", '[scenario."Buy a mug"]\nviewports = ["mobile"]\ntimeot = 5\n')
    with pytest.raises(ConfigError, match="unknown key 'timeot' \\(did you mean 'timeout'\\?\\)"):
        load_config(path, environ={})
