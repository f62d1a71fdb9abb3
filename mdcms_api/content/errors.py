"""The one error type a content parse raises."""

from __future__ import annotations


class ContentError(Exception):
    """A problem in a writer's file, phrased for the writer.

    ``path`` is the file's path relative to the site root (posix separators), ``line`` the
    1-based line in that file where it is known.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def at(self, path: str) -> ContentError:
        """Return this error located in ``path`` (keeps a path that is already set)."""
        if self.path is None:
            self.path = path
        return self

    def __str__(self) -> str:
        where = self.path or ""
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}" if where else self.message
