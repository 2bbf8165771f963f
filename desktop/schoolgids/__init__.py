"""Schoolgids: the privacy paragraph for the school guide, drawn from the register."""
