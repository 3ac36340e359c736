r"""The workspace sandbox: every path a tool touches is resolved inside one root.

Resolution rules, in order:

1. An empty path, a NUL byte or any other control character is refused.
2. `\` is read as `/`; a file path may not end with `/`.
3. A relative path is taken from the workspace root; an absolute path is allowed
   only when it points inside the root.
4. Symlinks and `..` are resolved the way the operating system resolves them
   (`os.path.realpath`), and the result must lie inside the root's real path: a
   `..` that climbs out, or a symlink (file or directory) that leads out, is refused.
5. On a case-insensitive file system every existing component is replaced by its
   on-disk spelling, so the relative path that permission checks see is the name
   the file really has (`APP/Main.py` becomes `app/main.py` when `app/main.py`
   exists; Unicode composed and decomposed forms compare equal, as on macOS). On a
   case-sensitive file system names are kept as written.
6. A component that ends in `.` or a space is refused (Windows would silently drop
   the trailing character and write a different file than the one checked).

The resolved path carries both the real absolute path (what the tool opens) and
the normalised POSIX path relative to the root (what `fileRegex` and the secret
rules are matched against), so a check and the file it guards are always the same.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath

from modegraph.errors import ToolRefused

__all__ = ["PathKind", "ResolvedPath", "Workspace"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DRIVE = re.compile(r"^[A-Za-z]:/")


class PathKind(StrEnum):
    """What a tool expects a path to name."""

    FILE = "file"
    DIRECTORY = "directory"


@dataclass(frozen=True, slots=True)
class ResolvedPath:
    """A path inside the workspace, resolved and normalised."""

    absolute: Path
    """The real path on disk (symlinks resolved, on-disk spelling)."""
    relative: str
    """POSIX path relative to the workspace root (`.` for the root itself)."""

    def __str__(self) -> str:
        return self.relative


class Workspace:
    """A root directory that bounds every path a tool may touch.

    Args:
        root: The workspace directory; it must exist.
        case_insensitive: Whether the file system under `root` ignores case; None
            probes it.

    Raises:
        ToolRefused: Never here; `resolve` raises it for a path outside the root.
        NotADirectoryError: When `root` is not a directory.
    """

    def __init__(self, root: str | os.PathLike[str], *, case_insensitive: bool | None = None):
        real = Path(os.path.realpath(root))
        if not real.is_dir():
            raise NotADirectoryError(f"workspace root {root!s} is not a directory")
        self._root = real
        self._case_insensitive = (
            _probe_case_insensitive(real) if case_insensitive is None else case_insensitive
        )

    @property
    def root(self) -> Path:
        """The real path of the workspace root."""
        return self._root

    @property
    def case_insensitive(self) -> bool:
        """Whether names under the root are compared without regard to case."""
        return self._case_insensitive

    def __repr__(self) -> str:
        return f"Workspace({str(self.root)!r}, case_insensitive={self.case_insensitive})"

    def resolve(self, path: str, *, kind: PathKind = PathKind.FILE) -> ResolvedPath:
        """Resolve `path` inside the workspace or refuse it.

        Args:
            path: The path a tool was given, relative to the root or absolute.
            kind: FILE refuses the root itself and a trailing `/`.

        Returns:
            The real absolute path and the normalised relative path.

        Raises:
            ToolRefused: The path is malformed or resolves outside the workspace.
        """
        text = _clean(path, kind=kind)
        given = Path(text) if text.startswith("/") or _DRIVE.match(text) else self.root / text
        lexical = Path(os.path.normpath(given))
        real = Path(os.path.realpath(given))
        relative = self._relative(real)
        if relative is None:
            if self._relative(lexical) is not None:
                raise ToolRefused(
                    f"path {path!r} goes through a symlink that leads out of the workspace "
                    f"({real}); only files under {self.root} can be used"
                )
            raise ToolRefused(
                f"path {path!r} is outside the workspace {self.root}; "
                "use a path relative to the workspace root, without '..' that climbs out"
            )
        if self.case_insensitive:
            relative = self._on_disk_spelling(relative)
        rel_text = relative.as_posix() if relative.parts else "."
        for part in relative.parts:
            if part.endswith((".", " ")):
                raise ToolRefused(
                    f"path {path!r} has a name ending in '.' or a space ({part!r}); "
                    "rename it without the trailing character"
                )
        if kind is PathKind.FILE and rel_text == ".":
            raise ToolRefused(f"path {path!r} is the workspace root, not a file")
        return ResolvedPath(absolute=self.root.joinpath(*relative.parts), relative=rel_text)

    def _relative(self, candidate: Path) -> PurePosixPath | None:
        root_parts = self.root.parts
        parts = candidate.parts
        if len(parts) < len(root_parts):
            return None
        head = parts[: len(root_parts)]
        if self.case_insensitive:
            same = [a.casefold() for a in head] == [b.casefold() for b in root_parts]
        else:
            same = head == root_parts
        return PurePosixPath(*parts[len(root_parts) :]) if same else None

    def _on_disk_spelling(self, relative: PurePosixPath) -> PurePosixPath:
        current = self.root
        spelled: list[str] = []
        for index, part in enumerate(relative.parts):
            try:
                names = os.listdir(current)
            except OSError:
                spelled.extend(relative.parts[index:])
                break
            if part not in names:
                wanted = _fold(part)
                matches = [name for name in names if _fold(name) == wanted]
                part = matches[0] if matches else part
            spelled.append(part)
            current = current / part
        return PurePosixPath(*spelled)


def _fold(name: str) -> str:
    """A name as a case- and normalisation-insensitive file system compares it."""
    return unicodedata.normalize("NFC", name).casefold()


def _clean(path: str, *, kind: PathKind) -> str:
    if not isinstance(path, str) or not path.strip():
        raise ToolRefused("an empty path was given; name a file relative to the workspace")
    if _CONTROL.search(path):
        raise ToolRefused(
            f"path {path!r} contains a NUL byte or another control character; use a plain file name"
        )
    text = path.replace("\\", "/")
    if kind is PathKind.FILE and text.endswith("/"):
        raise ToolRefused(f"path {path!r} ends with '/', so it names a directory, not a file")
    return text


def _probe_case_insensitive(root: Path) -> bool:
    """Whether the file system holding `root` ignores case in names."""
    text = str(root)
    swapped = text.swapcase()
    if swapped != text:
        try:
            return os.path.exists(swapped) and os.path.samefile(text, swapped)
        except OSError:
            return False
    try:
        with tempfile.NamedTemporaryFile(dir=root, prefix=".modegraph-case-") as probe:
            name = Path(probe.name)
            return (name.parent / name.name.upper()).exists()
    except OSError:
        return False
