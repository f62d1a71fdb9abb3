"""A site's settings from its config.yml: name, description, language, time zone, callouts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mdcms_api.content.errors import ContentError
from mdcms_api.content.frontmatter import (
    KeyReader,
    decode_text,
    json_safe,
    load_yaml_mapping,
    scalar_text,
)

CONFIG_PATH = "config.yml"
DEFAULT_LANGUAGE = "en"

# The shape of a BCP 47 tag (en, nb-NO, zh-Hant-TW); whether the subtags exist is not checked.
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*", re.ASCII)
MAX_LANGUAGE_TAG_CHARS = 35  # BCP 47's longest practical tags; the database column holds 35


@dataclass(frozen=True)
class SiteConfig:
    """The settings the API uses; ``raw`` keeps the whole file as JSON data for the frontend."""

    name: str | None = None
    description: str | None = None
    language: str = DEFAULT_LANGUAGE
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    callouts: dict[str, str] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)


def parse_site_config(raw: bytes | None) -> SiteConfig:
    """Parse config.yml's bytes (None: the site has no config.yml, so every default applies)."""
    if raw is None:
        return SiteConfig()
    try:
        text = decode_text(raw)
        mapping = load_yaml_mapping(text, first_line=1, what=CONFIG_PATH)
        return _ConfigReader(mapping, text.split("\n")).config()
    except ContentError as exc:
        raise exc.at(CONFIG_PATH) from None


class _ConfigReader(KeyReader):
    """Typed reads of config.yml keys whose errors point at the key's line."""

    def config(self) -> SiteConfig:
        return SiteConfig(
            name=self.text("sitename"),
            description=self.text("sitedescription"),
            language=self.language(),
            timezone=self.timezone(),
            callouts=self.callouts(),
            raw=self.json_data(),
        )

    def language(self) -> str:
        try:
            return check_language_tag(self.text("language") or DEFAULT_LANGUAGE)
        except ContentError as exc:
            raise self.error("language", exc.message) from None

    def timezone(self) -> ZoneInfo:
        name = self.text("timezone") or "UTC"
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            message = f"unknown time zone {name!r}; use an IANA name such as Europe/Oslo or UTC"
            raise self.error("timezone", message) from None

    def callouts(self) -> dict[str, str]:
        value = self.mapping.get("callouts")
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.error("callouts", "must be a mapping of name: message lines")
        try:
            return {str(name): scalar_text(message) for name, message in value.items()}
        except ContentError as exc:
            raise self.error("callouts", f"each message {exc.message}") from None

    def json_data(self) -> dict[str, Any]:
        data = {}
        for key, value in self.mapping.items():
            try:
                data[key] = json_safe(value)
            except ContentError as exc:
                raise self.error(key, exc.message) from None
        return data


def check_language_tag(tag: str) -> str:
    """Return ``tag`` if it looks like a BCP 47 language code; ContentError otherwise."""
    if _LANGUAGE_TAG.fullmatch(tag) is None:
        raise ContentError(f"{tag!r} is not a language code such as en, nb or pt-BR")
    if len(tag) > MAX_LANGUAGE_TAG_CHARS:
        raise ContentError(f"{tag!r} is longer than {MAX_LANGUAGE_TAG_CHARS} characters")
    return tag
