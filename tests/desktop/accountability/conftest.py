"""The school these tests use is in tests/desktop/conftest.py (shared by the areas)."""

from tests.desktop.conftest import TODAY

__all__ = ["TODAY"]
