"""Bestuursoverzicht: every school of the board side by side."""
