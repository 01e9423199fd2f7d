"""Scheduled monitoring: ``uxmon schedule`` as a service, and cron mode for ``uxmon run``.

Importing the package registers ``[[schedule]]`` and ``[scheduler]`` with the config schema;
the service (APScheduler) loads only when ``uxmon schedule`` runs.
"""

from . import settings  # noqa: F401 - registers the config sections
