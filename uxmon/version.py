"""The version of uxmon, in one place that every stage may read without importing another."""

__version__ = "0.1.0"
