"""Entry script of the frozen console executable privacyregister-cli.exe (see the spec)."""

from desktop.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
