"""Building small sites on disk for tests: one file at a time, exactly as a writer would."""

from __future__ import annotations

from pathlib import Path

import yaml


def write_file(root: Path, path: str, content: str | bytes) -> Path:
    """Write ``content`` at ``root/path``, creating folders."""
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")
    return target


def markdown(front_matter: dict | None, body: str = "Some text.\n") -> str:
    """A markdown file's text: YAML front matter (if any) and a body."""
    if front_matter is None:
        return body
    return (
        "---\n" + yaml.safe_dump(front_matter, allow_unicode=True, sort_keys=False) + "---\n" + body
    )


def write_post(root: Path, name: str, body: str = "Some text.\n", **front_matter: object) -> Path:
    """Write ``posts/<name>.md``; keyword arguments are its front matter (``a_b`` as ``a-b``)."""
    keys = {key.replace("_", "-"): value for key, value in front_matter.items()}
    return write_file(root, f"posts/{name}.md", markdown(keys, body))


def write_page(root: Path, name: str, body: str = "Some text.\n", **front_matter: object) -> Path:
    """Write ``pages/<name>.md`` like `write_post`."""
    keys = {key.replace("_", "-"): value for key, value in front_matter.items()}
    return write_file(root, f"pages/{name}.md", markdown(keys, body))
