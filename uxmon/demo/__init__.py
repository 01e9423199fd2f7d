"""The bundled demo shop: a real HTTP server with switchable friction, for ``uxmon demo`` and tests."""

from .friction import SWITCHES, Friction, FrictionError, parse
from .server import DemoShop

__all__ = ["SWITCHES", "DemoShop", "Friction", "FrictionError", "parse"]
