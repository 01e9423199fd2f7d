"""Configuration: find the file, validate every key against the schema, merge env and flags.

Feature stages (friction, and later schedule, gate, email) register their own sections with
:func:`register_section` when they are imported; configuration itself imports none of them.
"""

from .load import Config, Timeouts, find_config_file, load_config, read_config_file, with_overrides
from .schema import ConfigError, Key, entry_where, register_section

__all__ = [
    "Config",
    "ConfigError",
    "Key",
    "Timeouts",
    "find_config_file",
    "load_config",
    "entry_where",
    "read_config_file",
    "register_section",
    "with_overrides",
]
