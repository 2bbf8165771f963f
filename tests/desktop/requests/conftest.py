"""The small school of the accountability screens (users of every role, pupils with parents)
and the message-box recorder: shared with tests/desktop/accountability/, defined once there."""

from tests.desktop.accountability.conftest import (  # noqa: F401 - fixtures
    TODAY,
    boxes,
    people,
    save_as,
    school,
)
