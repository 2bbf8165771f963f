"""Qt-free core of Privacyregister: the encrypted register and its rules."""

__version__ = "0.1.0"
