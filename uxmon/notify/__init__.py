"""Telling people: alerts and webhooks, and the emailed digest."""
