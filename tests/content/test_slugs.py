"""Slugs of author and keyword names."""

import pytest

from mdcms_api.content.slugs import slugify


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Raj Patel", "raj-patel"),
        ("Llama 3", "llama-3"),
        ("José García", "jose-garcia"),
        ("Łukasz Nowak", "lukasz-nowak"),
        ("Straße", "strasse"),
        ("  Open   Source AI  ", "open-source-ai"),
        ("AI licensing", "ai-licensing"),
        ("a--b", "a-b"),
    ],
)
def test_slugify_spec_examples(name, slug):
    assert slugify(name) == slug


@pytest.mark.parametrize("name", ["", "   ", "!!!", "---"])
def test_slugify_without_letters_or_digits_is_empty(name):
    assert slugify(name) == ""


def test_case_and_accents_give_one_slug():
    assert slugify("Café") == slugify("cafe") == slugify("CAFÉ")


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("C", "c"),
        ("C++", "c-plus-plus"),
        ("C#", "c-sharp"),
        ("F# tips", "f-sharp-tips"),
        ("#1", "1"),
    ],
)
def test_programming_language_names_stay_apart(name: str, slug: str) -> None:
    assert slugify(name) == slug
