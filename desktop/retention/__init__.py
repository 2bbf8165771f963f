"""Bewaartermijnen: what is due for deletion, the purge, the terms, and what was erased
(page.py: RetentionPage, a register page)."""

from __future__ import annotations

from typing import Any


def retention_attention(context: Any, session: Any) -> list:
    """RetentionPage.attention, under the name older tests of other areas import."""
    from desktop.retention.page import RetentionPage

    return RetentionPage.attention(context, session)
