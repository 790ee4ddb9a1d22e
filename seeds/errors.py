"""Errors found in the seed files, each pinned to a file and a line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class SeedError:
    """One problem in one seed file; `file` is the name relative to the data folder."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


class CatalogueInvalid(Exception):
    """The seed files cannot be loaded; nothing was written. `errors` lists every problem found."""

    def __init__(self, errors: list[SeedError]) -> None:
        self.errors = sorted(set(errors))
        super().__init__("\n".join(str(error) for error in self.errors))
