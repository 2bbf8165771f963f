"""Wording of the printed forms, from resources/texts (never scattered literals)."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files


@cache
def form_texts() -> dict[str, str]:
    return json.loads((files("resources") / "texts" / "form_texts.json").read_text("utf-8"))
