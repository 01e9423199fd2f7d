"""Check uxmon's signed webhooks on the receiving side: ``uxmon.webhooks.verify(body, headers, secret)``.

A small, dependency-free helper for receivers written in Python; any Standard Webhooks
library (``standardwebhooks``, Svix) verifies the same signatures. See docs/alerts.md.
"""

from .notify.signing import WebhookVerificationError, new_secret, sign_headers, verify

__all__ = ["WebhookVerificationError", "new_secret", "sign_headers", "verify"]
