"""Fotocheck: who may not be in a photo for these purposes, and why."""
