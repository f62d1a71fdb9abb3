"""Splitting and safely loading YAML front matter."""

from datetime import date

import pytest

from mdcms_api.content.errors import ContentError
from mdcms_api.content.frontmatter import (
    MAX_FRONT_MATTER_BYTES,
    decode_text,
    json_safe,
    split_front_matter,
)


def test_split_returns_mapping_body_and_body_line():
    text = "---\ntitle: Hello\nauthor: Raj Patel\n---\n\nThe body.\n"
    assert split_front_matter(text) == (
        {"title": "Hello", "author": "Raj Patel"},
        "\nThe body.\n",
        5,
    )


def test_crlf_line_endings():
    text = "---\r\ntitle: Hello\r\n---\r\nBody\r\n"
    assert split_front_matter(text) == ({"title": "Hello"}, "Body\r\n", 4)


def test_leading_byte_order_mark_is_ignored():
    assert split_front_matter("\ufeff---\ntitle: Hi\n---\nBody") == ({"title": "Hi"}, "Body", 4)


def test_no_front_matter_means_the_whole_text_is_the_body():
    text = "# Title\n\n---\n\nmore\n"
    assert split_front_matter(text) == ({}, text, 1)


@pytest.mark.parametrize("text", ["", "\ufeff"])
def test_empty_file(text):
    assert split_front_matter(text) == ({}, "", 1)


@pytest.mark.parametrize("text", ["---\ntitle: Hi\n---", "---\ntitle: Hi\n---\n"])
def test_front_matter_only(text):
    assert split_front_matter(text) == ({"title": "Hi"}, "", 4)


@pytest.mark.parametrize(
    "text", ["---\n---\nBody", "---\n\n---\nBody", "---\n# comment\n---\nBody"]
)
def test_empty_front_matter_is_an_empty_mapping(text):
    metadata, body, _ = split_front_matter(text)
    assert (metadata, body) == ({}, "Body")


def test_delimiters_may_have_trailing_spaces():
    assert split_front_matter("--- \ntitle: Hi\n---\t\nBody")[0] == {"title": "Hi"}


def test_a_longer_rule_is_not_a_delimiter():
    assert split_front_matter("----\ntitle: Hi\n----\n")[0] == {}


@pytest.mark.parametrize(
    "text", ["---", "---\n", "---\ntitle: Hi\n\nBody without a closing line\n"]
)
def test_unclosed_front_matter(text):
    with pytest.raises(ContentError, match="never closed") as caught:
        split_front_matter(text)
    assert caught.value.line == 1


def test_colon_in_title_names_the_line_and_suggests_quotes():
    text = "---\ncreated: 2025-04-28\ntitle: Open Source AI: The Landscape\n---\n"
    with pytest.raises(ContentError, match="must be put in quotes") as caught:
        split_front_matter(text)
    assert caught.value.line == 3


def test_invalid_yaml_line_counts_from_the_file():
    with pytest.raises(ContentError, match="invalid YAML") as caught:
        split_front_matter("---\ntitle: Hi\nkeywords: [a, b\n---\n")
    assert caught.value.line is not None
    assert caught.value.line >= 3


def test_control_character_names_its_line():
    with pytest.raises(ContentError, match="invalid YAML") as caught:
        split_front_matter("---\ntitle: Hi\ndescription: a\x07b\n---\n")
    assert caught.value.line == 3


@pytest.mark.parametrize(
    ("header", "kind"), [("- a\n- b", "not a list"), ("just text", "not a single value")]
)
def test_front_matter_that_is_not_a_mapping(header, kind):
    with pytest.raises(ContentError, match=kind):
        split_front_matter(f"---\n{header}\n---\nBody")


@pytest.mark.parametrize("key", ["2025", "true", "null", "[a]"])
def test_keys_must_be_text(key):
    with pytest.raises(ContentError):
        split_front_matter(f"---\ntitle: Hi\n{key}: x\n---\n")


def test_anchor_is_rejected_with_its_line():
    with pytest.raises(ContentError, match="anchors") as caught:
        split_front_matter("---\ntitle: Hi\nbase: &base {a: 1}\n---\n")
    assert caught.value.line == 3


def test_alias_is_rejected_even_without_an_anchor():
    with pytest.raises(ContentError, match="alias"):
        split_front_matter("---\ntitle: Hi\ncopy: *base\n---\n")


def test_billion_laughs_fails_fast():
    header = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    with pytest.raises(ContentError, match="anchors") as caught:
        split_front_matter(f"---\n{header}---\n")
    assert caught.value.line == 2


def test_merge_key_needs_an_alias_so_it_is_rejected():
    with pytest.raises(ContentError):
        split_front_matter("---\nbase: &b {x: 1}\nother:\n  <<: *b\n---\n")


def test_deep_nesting_is_rejected():
    header = "a: " + "[" * 200 + "]" * 200
    with pytest.raises(ContentError, match="nested"):
        split_front_matter(f"---\n{header}\n---\n")


def test_oversize_front_matter():
    header = "description: " + "x" * MAX_FRONT_MATTER_BYTES
    with pytest.raises(ContentError, match="larger than 64 KiB") as caught:
        split_front_matter(f"---\n{header}\n---\nBody")
    assert caught.value.line == 1


def test_front_matter_just_under_the_cap_is_fine():
    header = "d: " + "x" * (MAX_FRONT_MATTER_BYTES - 10)
    assert len(split_front_matter(f"---\n{header}\n---\n")[0]["d"]) == MAX_FRONT_MATTER_BYTES - 10


@pytest.mark.parametrize("header", ["a: !!python/object:os.system x", "a: !custom x"])
def test_unsafe_and_unknown_tags_are_errors(header):
    with pytest.raises(ContentError, match="invalid YAML"):
        split_front_matter(f"---\n{header}\n---\n")


def test_explicit_tag_on_a_wrong_value_is_an_error():
    with pytest.raises(ContentError, match="invalid YAML value"):
        split_front_matter("---\nsort: !!int ten\n---\n")


def test_yaml_types_dates_and_datetimes():
    metadata = split_front_matter(
        "---\nd: 2025-04-28\ndt: 2025-04-28 11:00:00\nhm: 2025-04-28 11:00\n---\n"
    )[0]
    assert metadata["d"] == date(2025, 4, 28)
    assert metadata["dt"].hour == 11
    assert metadata["hm"] == "2025-04-28 11:00"


def test_a_date_yaml_cannot_build_stays_text():
    assert split_front_matter("---\nd: 2025-02-30\n---\n")[0] == {"d": "2025-02-30"}


def test_decode_text_strips_the_byte_order_mark():
    assert decode_text("\ufeff---\n".encode()) == "---\n"


def test_decode_text_names_the_line_of_the_first_bad_byte():
    with pytest.raises(ContentError, match="not valid UTF-8") as caught:
        decode_text(b"---\ntitle: ok\n---\nfine\nbad \xff here\n")
    assert caught.value.line == 5


def test_decode_text_rejects_binary():
    with pytest.raises(ContentError, match="not a text file"):
        decode_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_json_safe_converts_dates_sets_pairs_and_keys():
    value = {
        "when": date(2025, 4, 28),
        "nested": [{"at": date(2025, 1, 1)}],
        "tags": {"b", "a"},
        "pairs": [("k", 1)],
        1: "one",
        None: "nothing",
    }
    assert json_safe(value) == {
        "when": "2025-04-28",
        "nested": [{"at": "2025-01-01"}],
        "tags": ["a", "b"],
        "pairs": [["k", 1]],
        "1": "one",
        "null": "nothing",
    }


@pytest.mark.parametrize("value", [float("nan"), float("inf"), b"\x00"])
def test_json_safe_refuses_values_json_cannot_hold(value):
    with pytest.raises(ContentError):
        json_safe({"x": [value]})
