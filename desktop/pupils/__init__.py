"""Leerlingen en ouders/verzorgers: the pupil list (page.py), the pupil card, enrolment,
the guardian dialog and the import wizard."""
