"""Rendering of uxmon's HTML pages (autoescaped Jinja2: site text is untrusted)."""
