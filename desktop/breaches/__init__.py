"""Datalekken: the register (page.py), registering (dialog.py) and one breach (detail.py),
the vulnerability reports (reports.py)."""
