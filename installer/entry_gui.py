"""Entry script of the frozen GUI executable (Privacyregister.exe); see privacyregister.spec."""

from desktop.app import main

if __name__ == "__main__":
    raise SystemExit(main())
