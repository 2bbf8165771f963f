"""Overzicht: the start page of the main window (page.py: OverviewPage, a register page)."""
