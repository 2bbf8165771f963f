"""What every importer (EDEXML, CSV, XLSX) produces: plain records and the problems found."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class ImportedGuardian:
    last_name: str
    first_name: str = ""
    prefix: str = ""
    email: str = ""
    phone: str = ""
    relation: str = "ouder/verzorger"


@dataclass(frozen=True)
class ImportedPupil:
    """One pupil as the source system has it. `where` names the line or element, for messages."""

    where: str
    source_key: str | None
    first_name: str           # roepnaam (falls back to the first of voornamen)
    last_name: str
    prefix: str = ""
    given_names: str = ""
    date_of_birth: date | None = None
    year_group: int | None = None
    group_name: str = ""
    enrolled_on: date | None = None
    left_on: date | None = None
    guardians: tuple[ImportedGuardian, ...] = ()


@dataclass(frozen=True)
class ImportProblem:
    where: str      # "regel 12" or "leerling key=1234"
    message: str    # Dutch, names the field and the value's problem


MAX_KEPT_PROBLEMS = 1000  # a file of a million bad rows keeps these, and counts the rest


@dataclass
class ParsedFile:
    pupils: list[ImportedPupil] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    school_brin: str = ""
    school_year: str = ""
    source: str = ""   # "EDEXML", "CSV", "XLSX"
    problems_left_out: int = 0  # bad rows counted but not kept (beyond MAX_KEPT_PROBLEMS)

    def add_problem(self, problem: ImportProblem) -> None:
        """Keep the first MAX_KEPT_PROBLEMS problems; count the others (memory stays flat)."""
        if len(self.problems) < MAX_KEPT_PROBLEMS:
            self.problems.append(problem)
        else:
            self.problems_left_out += 1

    @property
    def problem_count(self) -> int:
        return len(self.problems) + self.problems_left_out
