"""Writing output files whole or not at all."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def part_path(target: Path) -> Path:
    return target.with_name(target.name + ".part")


@contextmanager
def written_whole(*targets: Path) -> Iterator[tuple[Path, ...]]:
    """Write to `<target>.part` files; when the block ends well they all take their names,
    on any error or interruption (Ctrl-C too) they are removed: no half result stays behind,
    and an earlier file with the same name is only replaced by a complete one."""
    parts = tuple(part_path(Path(target)) for target in targets)
    try:
        yield parts
        for part, target in zip(parts, targets, strict=True):
            os.replace(part, target)
    except BaseException:
        for part in parts:
            part.unlink(missing_ok=True)
        raise
