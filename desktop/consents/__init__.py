"""Toestemmingen: the consent matrix, history, purposes, 'Nog te vragen' and the prints
(page.py), and the teacher's read-only 'Niet op de foto' (teacher_page.py)."""
