"""The hostile content corpus: files in tests/hostile/site plus big or binary ones made here."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from tests.sites import write_file

HOSTILE_SITE = Path(__file__).resolve().parent / "hostile" / "site"
SECRET = "TOP-SECRET-FROM-OUTSIDE-THE-SITE"
TEN_MB = 10 * 1024 * 1024
KEYWORD_COUNT = 10_000
LONG_TITLE_CHARS = 100_000
FITTING_TITLE_CHARS = 60_000  # under the 64 KiB front-matter limit
NESTING = 5_000


def ten_megabytes() -> bytes:
    """A well-formed post of 10 MB: ordinary paragraphs, so only its size is hostile."""
    paragraph = ("All work and no play makes a very long post. " * 20).strip() + "\n\n"
    repeats = TEN_MB // len(paragraph) + 1
    return ("---\ntitle: Ten megabytes\n---\n" + paragraph * repeats).encode()


def ten_thousand_keywords() -> bytes:
    """A YAML list of 10,000 distinct keywords, small enough to fit the front-matter limit."""
    keywords = ",".join(f"k{number}" for number in range(KEYWORD_COUNT))
    return f"---\ntitle: Ten thousand keywords\nkeywords: [{keywords}]\n---\nBody.\n".encode()


def invalid_utf8() -> bytes:
    """Latin-1 bytes on line 4: what an old editor saves."""
    return b"---\ntitle: Latin-1\n---\nCaf\xe9 cr\xe8me\n"


def binary() -> bytes:
    """A PNG image renamed to .md."""
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06" * 64


def nul_bytes() -> bytes:
    """Text that is valid UTF-8 but carries NUL characters in its body."""
    return b"---\ntitle: NUL\n---\nbefore\x00after\n"


def bom_crlf() -> bytes:
    """A Windows editor's file: byte-order mark and CRLF line endings."""
    text = (
        "---\r\ntitle: Windows file\r\nkeywords: one, two\r\n---\r\nFirst line.\r\n\r\nSecond.\r\n"
    )
    return b"\xef\xbb\xbf" + text.encode()


def nested_quotes() -> bytes:
    """5,000 levels of block quotes on one line."""
    return ("---\ntitle: Quotes\n---\n" + ">" * NESTING + " deep\n").encode()


def nested_lists() -> bytes:
    """5,000 levels of list items on one line."""
    return ("---\ntitle: Lists\n---\n" + "- " * NESTING + "deep\n").encode()


def nested_indented_lists() -> bytes:
    """A list indented one level deeper on each of 100 lines, as an editor would indent it."""
    lines = "".join("    " * level + "- item\n" for level in range(100))
    return ("---\ntitle: Indented lists\n---\n" + lines).encode()


def long_title(chars: int) -> Callable[[], bytes]:
    def make() -> bytes:
        return f"---\ntitle: {'T' * chars}\n---\nBody.\n".encode()

    return make


def very_deep_yaml() -> bytes:
    """A flow mapping nested 5,000 levels: a stack overflow for a recursive YAML composer."""
    nested = "{a: " * NESTING + "1" + "}" * NESTING
    return f"---\ntitle: Very deep YAML\nnested: {nested}\n---\nBody.\n".encode()


GENERATED: dict[str, Callable[[], bytes]] = {
    "posts/2025-02-01-ten-megabytes.md": ten_megabytes,
    "posts/2025-02-02-ten-thousand-keywords.md": ten_thousand_keywords,
    "posts/2025-02-03-invalid-utf8.md": invalid_utf8,
    "posts/2025-02-04-binary.md": binary,
    "posts/2025-02-05-nul-bytes.md": nul_bytes,
    "posts/2025-02-06-bom-crlf.md": bom_crlf,
    "posts/2025-02-07-nested-quotes.md": nested_quotes,
    "posts/2025-02-08-nested-lists.md": nested_lists,
    "posts/2025-02-09-hundred-thousand-char-title.md": long_title(LONG_TITLE_CHARS),
    "posts/2025-02-10-long-title-that-fits.md": long_title(FITTING_TITLE_CHARS),
    "posts/2025-02-14-nested-indented-lists.md": nested_indented_lists,
    "pages/very-deep-yaml.md": very_deep_yaml,
}
# Links that point out of the site; the importer must never read through them.
SYMLINKS_OUTSIDE = {
    "posts/2025-02-11-symlink-outside.md": "secret.md",
    "posts/2025-02-12-symlink-absolute.md": "/etc/passwd",
    "posts/linked-folder": ".",  # a folder link: os.walk must not descend into it
}
FIFO = "posts/2025-02-13-fifo.md"  # reading a FIFO would block the import forever


def make_outside(folder: Path) -> Path:
    """A folder next to the site holding a post that must never be imported."""
    write_file(folder, "secret.md", f"---\ntitle: {SECRET}\n---\n{SECRET}\n")
    write_file(folder, "2025-03-01-secret.md", f"---\ntitle: {SECRET}\n---\n{SECRET}\n")
    return folder


def write_hostile_files(root: Path, outside: Path) -> list[str]:
    """Add the whole corpus to the site at ``root``; return the paths added (site-relative)."""
    shutil.copytree(HOSTILE_SITE, root, dirs_exist_ok=True)
    for path, make in GENERATED.items():
        write_file(root, path, make())
    for path, target in SYMLINKS_OUTSIDE.items():
        link = root / path
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(target if target.startswith("/") else outside / target)
    os.mkfifo(root / FIFO)
    static = [p.relative_to(HOSTILE_SITE).as_posix() for p in HOSTILE_SITE.rglob("*.md")]
    return sorted([*static, *GENERATED, *SYMLINKS_OUTSIDE, FIFO])
