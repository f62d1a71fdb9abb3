"""The one date parser of the project: front matter values and API query parameters."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

from mdcms_api.content.errors import ContentError

ACCEPTED_FORMATS = "YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS] or ISO 8601"

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_DATETIME = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})[Tt ](?P<hour>\d{2}):(?P<minute>\d{2})"
    r"(?::(?P<second>\d{2})(?:\.(?P<fraction>\d+))?)?"
    r"\s*(?P<offset>[Zz]|[+-]\d{2}(?::?\d{2})?)?",
    re.ASCII,
)


def parse_datetime(value: object, tz: tzinfo, *, end_of_day: bool = False) -> datetime:
    """Return ``value`` as an aware datetime; naive values are read in ``tz``.

    Accepts a ``date`` or ``datetime`` (as YAML gives them) and the strings YYYY-MM-DD,
    YYYY-MM-DD HH:MM, YYYY-MM-DD HH:MM:SS and ISO 8601 with "T", optional fractional seconds
    and an optional offset or "Z". A date alone is 00:00 of that day, or its last instant with
    ``end_of_day`` (so a "to" bound includes the whole day). Anything else raises ContentError.
    """
    parsed = _parse_value(value, tz, end_of_day=end_of_day)
    if parsed is None:
        raise ContentError(f"{_show(value)} is not a date; use {ACCEPTED_FORMATS}")
    try:
        parsed.astimezone(UTC)  # stored as UTC: year 1 or 9999 with an offset cannot be
    except OverflowError:
        raise ContentError(f"{_show(value)} is too far in the past or future") from None
    return parsed


def _parse_value(value: object, tz: tzinfo, *, end_of_day: bool) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return _day_bound(value, tz, end_of_day=end_of_day)
    if isinstance(value, str):
        return _parse_text(value.strip(), tz, end_of_day=end_of_day)
    return None


def _parse_text(text: str, tz: tzinfo, *, end_of_day: bool) -> datetime | None:
    """Parse one of the accepted string formats; None when ``text`` is not one of them."""
    try:
        if match := _DATE.fullmatch(text):
            day = date(*(int(part) for part in match.groups()))
            return _day_bound(day, tz, end_of_day=end_of_day)
        if match := _DATETIME.fullmatch(text):
            return _datetime_from_match(match, tz)
    except ValueError:  # well-formed but out of range: month 13, hour 25, offset +24:00
        return None
    return None


def _datetime_from_match(match: re.Match[str], tz: tzinfo) -> datetime:
    day = date.fromisoformat(match["date"])
    # Digits beyond microseconds are dropped: datetime cannot hold them.
    microsecond = int((match["fraction"] or "0")[:6].ljust(6, "0"))
    moment = time(int(match["hour"]), int(match["minute"]), int(match["second"] or 0), microsecond)
    offset = match["offset"]
    return datetime.combine(day, moment, tzinfo=tz if offset is None else _fixed_offset(offset))


def _fixed_offset(text: str) -> timezone:
    if text in ("Z", "z"):
        return UTC
    digits = text[1:].replace(":", "")
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
    return timezone(-delta if text[0] == "-" else delta)


def _day_bound(day: date, tz: tzinfo, *, end_of_day: bool) -> datetime:
    return datetime.combine(day, time.max if end_of_day else time.min, tzinfo=tz)


def _show(value: object) -> str:
    """Quote a value the way a writer would recognise it in an error message."""
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:57] + "...")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if value is None:
        return "an empty value"
    return "a list" if isinstance(value, list) else "a mapping or other structure"
