"""The emailed friction digest and batch report: model, templates, MIME, SMTP delivery.

Importing this package registers the ``[email]`` config section; the SMTP and picture code
is loaded only when a message is built or sent.
"""

from .settings import EmailSettings, email_settings

__all__ = ["EmailSettings", "email_settings"]
