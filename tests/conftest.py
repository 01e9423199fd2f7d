"""The whole suite: runs walk at machine speed unless a test asks for the customer pace.

The human pace (a look at each new page, a moment for each press to be answered) is the
default for users; the tests that need it (recall of popups, shifts and dead buttons that
only show after a moment) set it themselves, so the rest of the suite stays fast.
"""

import os


def pytest_configure() -> None:
    os.environ.setdefault("UXMON_PACE", "robot")
