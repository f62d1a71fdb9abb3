"""The one date parser: YAML-typed values, accepted strings, time zones, errors."""

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from mdcms_api.content.dates import parse_datetime
from mdcms_api.content.errors import ContentError

OSLO = ZoneInfo("Europe/Oslo")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-04-28", datetime(2025, 4, 28, tzinfo=OSLO)),
        ("2025-04-28 11:00", datetime(2025, 4, 28, 11, 0, tzinfo=OSLO)),
        ("2025-04-28 11:00:30", datetime(2025, 4, 28, 11, 0, 30, tzinfo=OSLO)),
        ("2025-04-28T11:00", datetime(2025, 4, 28, 11, 0, tzinfo=OSLO)),
        ("2025-04-28T11:00:30", datetime(2025, 4, 28, 11, 0, 30, tzinfo=OSLO)),
        ("2025-04-28T11:00:30.25", datetime(2025, 4, 28, 11, 0, 30, 250000, tzinfo=OSLO)),
        ("2025-04-28T11:00:30.1234567", datetime(2025, 4, 28, 11, 0, 30, 123456, tzinfo=OSLO)),
        ("  2025-04-28  ", datetime(2025, 4, 28, tzinfo=OSLO)),
    ],
)
def test_naive_strings_are_in_the_given_time_zone(text, expected):
    parsed = parse_datetime(text, OSLO)
    assert parsed == expected
    assert parsed.tzinfo is OSLO


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("2025-04-28T11:00:00Z", timedelta(0)),
        ("2025-04-28T11:00:00+02:00", timedelta(hours=2)),
        ("2025-04-28T11:00-05:30", timedelta(hours=-5, minutes=-30)),
        ("2025-04-28T11:00:00.5+0200", timedelta(hours=2)),
        ("2025-04-28 11:00:00 +02:00", timedelta(hours=2)),
        ("2025-04-28 11:00 -03", timedelta(hours=-3)),
    ],
)
def test_an_offset_in_the_text_wins_over_the_time_zone(text, offset):
    parsed = parse_datetime(text, OSLO)
    assert parsed.utcoffset() == offset
    assert parsed.replace(tzinfo=None).hour == 11


def test_yaml_date_is_midnight_in_the_time_zone():
    assert parse_datetime(date(2025, 1, 15), OSLO) == datetime(2025, 1, 15, tzinfo=OSLO)


def test_yaml_naive_datetime_is_in_the_time_zone():
    parsed = parse_datetime(datetime(2025, 7, 1, 11, 0), OSLO)
    assert parsed == datetime(2025, 7, 1, 11, 0, tzinfo=OSLO)
    assert parsed.utcoffset() == timedelta(hours=2)  # summer time in Oslo


def test_yaml_aware_datetime_keeps_its_offset():
    minus_five = timezone(timedelta(hours=-5))
    value = datetime(2025, 4, 28, 11, 0, tzinfo=minus_five)
    assert parse_datetime(value, OSLO).utcoffset() == timedelta(hours=-5)


def test_default_utc():
    assert parse_datetime("2025-04-28", UTC).utcoffset() == timedelta(0)


@pytest.mark.parametrize("value", ["2025-04-28", date(2025, 4, 28)])
def test_end_of_day_is_the_last_instant_of_a_date(value):
    parsed = parse_datetime(value, OSLO, end_of_day=True)
    assert parsed == datetime(2025, 4, 28, 23, 59, 59, 999999, tzinfo=OSLO)


def test_end_of_day_does_not_change_a_time():
    assert parse_datetime("2025-04-28 11:00", OSLO, end_of_day=True).hour == 11


@pytest.mark.parametrize(
    "value",
    [
        "2025-13-01",
        "2025-02-30",
        "2025-04-28 25:00",
        "2025-04-28T11:60",
        "2025-04-28T11:00+24:00",
        "28.04.2025",
        "2025-4-28",
        "20250428",
        "2025-W18",
        "yesterday",
        "",
        "\uff12\uff10\uff12\uff15-04-28",  # fullwidth digits
        True,
        False,
        2025,
        20.25,
        None,
        ["2025-04-28"],
        {"y": 2025},
    ],
)
def test_anything_else_is_a_content_error_naming_the_formats(value):
    with pytest.raises(ContentError) as caught:
        parse_datetime(value, OSLO)
    assert "use YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS] or ISO 8601" in caught.value.message


def test_error_quotes_the_written_value():
    with pytest.raises(ContentError, match=r"^'2025-13-01' is not a date"):
        parse_datetime("2025-13-01", UTC)
