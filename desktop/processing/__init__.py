"""Verwerkingsregister: the register of processing activities (AVG art. 30)."""
