"""The built-in rules; importing this package registers them."""

from . import (  # noqa: F401
    blockers,
    clicks,
    costs,
    errors,
    fields,
    interruptions,
    length,
    messages,
    mobile,
    outcome,
    parity,
    prices,
    responsiveness,
    speed,
    stability,
    support,
)
