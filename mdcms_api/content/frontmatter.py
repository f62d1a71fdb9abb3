"""Reading YAML front matter safely: decoding, splitting, loading, JSON-safe values."""

from __future__ import annotations

import json
import math
import re
from datetime import date
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from mdcms_api.content.errors import ContentError

try:  # libyaml's parser when PyYAML was built with it: several times faster
    from yaml import CSafeLoader as _SafeLoader
except ImportError:
    from yaml import SafeLoader as _SafeLoader

MAX_FRONT_MATTER_BYTES = 64 * 1024
MAX_YAML_DEPTH = 32  # far beyond any real front matter; keeps recursion bounded everywhere

_OPENING = re.compile(r"---[ \t]*(?:\r?\n|\Z)")
_CLOSING = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class FrontMatterLoader(_SafeLoader):
    """PyYAML's safe loader; a timestamp it cannot build (2025-02-30) stays text.

    Left as text, the bad date reaches the field's own check, whose error names the key and the
    accepted formats instead of PyYAML's bare ValueError. Anchors and aliases are refused by
    ``load_yaml`` before this loader builds anything.
    """


def _timestamp_or_text(loader: FrontMatterLoader, node: yaml.ScalarNode) -> Any:
    try:
        return SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


FrontMatterLoader.add_constructor(_TIMESTAMP_TAG, _timestamp_or_text)


def decode_text(raw: bytes) -> str:
    """Decode a writer's file as UTF-8 without its byte-order mark; ContentError if not text."""
    if b"\x00" in raw:
        raise ContentError("not a text file (it contains NUL bytes); save it as UTF-8 text")
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ContentError("not valid UTF-8; save the file as UTF-8", line=line) from None


def split_front_matter(text: str) -> tuple[dict[str, Any], str, int]:
    """Split ``text`` into (front matter mapping, body exactly as written, body's 1-based line).

    Without an opening ``---`` line the whole text is the body and the mapping is empty.
    """
    text = text.removeprefix("\ufeff")
    opening = _OPENING.match(text)
    if opening is None:
        return {}, text, 1
    closing = _CLOSING.search(text, opening.end())
    if closing is None:
        raise ContentError(
            "the front matter opened by '---' is never closed by a '---' line", line=1
        )
    header = text[opening.end() : closing.start()]
    if len(header.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        raise ContentError(
            f"the front matter is larger than {MAX_FRONT_MATTER_BYTES // 1024} KiB; "
            "move long text into the body",
            line=1,
        )
    metadata = load_yaml_mapping(header, first_line=2, what="the front matter")
    body = text[closing.end() :].removeprefix("\n")
    body_line = text.count("\n", 0, closing.start()) + 2
    return metadata, body, body_line


def load_yaml_mapping(text: str, *, first_line: int, what: str) -> dict[str, Any]:
    """Load ``text`` as a YAML mapping with string keys ({} when empty).

    ``first_line`` is the file line of the text's first line, so errors point into the file;
    ``what`` names the text in messages ("the front matter", "config.yml").
    """
    data = load_yaml(text, first_line=first_line)
    if data is None:
        return {}
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        raise ContentError(
            f"{what} must be a mapping of 'key: value' lines, not {kind}", line=first_line
        )
    lines = text.split("\n")
    for key in data:
        if not isinstance(key, str):
            line = find_key_line(lines, str(key))
            raise ContentError(
                f"{what} key {key!r} is not text; put it in quotes",
                line=None if line is None else line + first_line - 1,
            )
    return data


def load_yaml(text: str, *, first_line: int) -> Any:
    """Load one YAML document safely: no anchors or aliases, bounded nesting, errors with lines."""
    try:
        _check_events(text, first_line)
        return yaml.load(text, Loader=FrontMatterLoader)
    except yaml.MarkedYAMLError as exc:
        raise _yaml_error(exc, first_line) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        line = text.count("\n", 0, exc.position) + first_line
        raise ContentError(f"invalid YAML: {exc.reason}", line=line) from None
    except ValueError as exc:  # an explicit tag on a value that cannot have it: !!int abc
        raise ContentError(f"invalid YAML value: {exc}", line=first_line) from None


def _check_events(text: str, first_line: int) -> None:
    """Refuse anchors, aliases and deep nesting before anything is built.

    Aliases let a few lines expand into billions of values (the "billion laughs" bomb), and
    front matter never needs them.
    """
    depth = 0
    for event in yaml.parse(text, Loader=FrontMatterLoader):
        line = event.start_mark.line + first_line
        if isinstance(event, yaml.AliasEvent):
            raise ContentError(
                f"YAML aliases (*{event.anchor}) are not allowed; write the value out", line=line
            )
        if getattr(event, "anchor", None) is not None:
            raise ContentError(
                f"YAML anchors (&{event.anchor}) are not allowed; write the value out", line=line
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise ContentError(f"nested more than {MAX_YAML_DEPTH} levels deep", line=line)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _yaml_error(exc: yaml.MarkedYAMLError, first_line: int) -> ContentError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "not valid YAML"
    message = f"invalid YAML: {problem}"
    if "mapping values are not allowed" in problem:
        message += " (a value that contains ': ' must be put in quotes)"
    return ContentError(message, line=None if mark is None else mark.line + first_line)


def find_key_line(lines: list[str], key: str) -> int | None:
    """Return the 1-based number of the line in ``lines`` that starts the top-level ``key``."""
    name = re.escape(key)
    pattern = re.compile(rf"""(?:{name}|"{name}"|'{name}')[ \t]*:""")
    for number, line in enumerate(lines, 1):
        if pattern.match(line):
            return number
    return None


def scalar_text(value: Any) -> str:
    """Return a scalar YAML value as trimmed text (numbers and dates too); else ContentError."""
    if isinstance(value, bool):
        raise ContentError("YAML reads this as yes/no (true/false); put the text in quotes")
    if isinstance(value, str):
        return check_no_control_characters(value).strip()
    if isinstance(value, int | float | date):
        return json_safe(value) if isinstance(value, date) else str(value)
    raise ContentError("must be text, not a list or mapping")


# C0 controls but tab, newline and carriage return: a YAML escape such as "\0" can write them,
# PostgreSQL refuses NUL in text, and none of them means anything in a title or a name.
_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_no_control_characters(text: str) -> str:
    """Return ``text``; ContentError if it holds an invisible control character."""
    found = _CONTROL_CHARACTER.search(text)
    if found is not None:
        raise ContentError(f"contains the control character U+{ord(found[0]):04X}; remove it")
    return text


def json_safe(value: Any) -> Any:
    """Return a YAML value as JSON data: ISO 8601 dates, lists for sets and pairs, text keys."""
    if isinstance(value, dict):
        return {_json_key(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):  # tuples come from !!omap and !!pairs
        return [json_safe(item) for item in value]
    if isinstance(value, set | frozenset):
        return [json_safe(item) for item in sorted(value, key=repr)]
    if isinstance(value, date):  # a datetime is a date too
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        raise ContentError(".nan and .inf have no JSON form; put the value in quotes")
    if isinstance(value, bytes):
        raise ContentError("binary data (!!binary) cannot be kept; link to a file instead")
    if isinstance(value, str):
        return check_no_control_characters(value)
    return value


def _json_key(key: Any) -> str:
    safe = json_safe(key)
    return safe if isinstance(safe, str) else json.dumps(safe)


class KeyReader:
    """Typed reads of a YAML mapping's keys, whose errors name the key and the line it is on.

    Front matter and config.yml readers build on it; subclasses add their own typed reads.
    """

    def __init__(self, mapping: dict[str, Any], lines: list[str]) -> None:
        self.mapping = mapping
        self.lines = lines

    def error(self, key: str, message: str) -> ContentError:
        """An error about ``key``, at the line where the key is written."""
        return ContentError(f"{key}: {message}", line=find_key_line(self.lines, key))

    def text(self, key: str) -> str | None:
        """A text value, trimmed; None when missing or empty."""
        value = self.mapping.get(key)
        if value is None:
            return None
        try:
            return scalar_text(value) or None
        except ContentError as exc:
            raise self.error(key, exc.message) from None
