"""Verzoeken van betrokkenen: the register of requests (page.py) and the dialogs to register,
extend, answer, export (inzage) and erase (verwijdering) (dialogs.py)."""
