"""The built-in rules; importing this package registers them."""

from . import (  # noqa: F401
    blockers,
    clicks,
    costs,
    errors,
    interruptions,
    length,
    mobile,
    outcome,
    parity,
    speed,
    stability,
    support,
)
