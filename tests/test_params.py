"""The readers of typed values: each kind's traps give None, never an exception."""

from datetime import date
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from app.web.params import iso_date, link_args, record_id, same_site_path, whole_number


@pytest.mark.parametrize(
    "text, number",
    [
        ("1", 1),
        ("0", 0),
        ("42", 42),
        ("007", 7),
        ("2147483647", 2147483647),
        ("²", None),
        ("¹²³", None),
        ("٣", None),
        ("𝟗", None),
        ("Ⅻ", None),
        ("½", None),  # digits, but not ASCII ones
        ("-1", None),
        ("+1", None),
        (" 1", None),
        ("1 ", None),
        ("1_000", None),
        ("1e3", None),
        ("0x10", None),
        ("2147483648", None),
        ("9" * 40, None),
        ("", None),
        (None, None),
        ("NaN", None),
    ],
)
def test_whole_number(text, number):
    assert whole_number(text) == number


def test_whole_number_within_bounds():
    assert whole_number("5", low=1, high=10) == 5
    assert whole_number("0", low=1, high=10) is None
    assert whole_number("11", low=1, high=10) is None
    assert record_id("0") is None and record_id("1") == 1


@pytest.mark.parametrize(
    "text, day",
    [
        ("2027-03-14", date(2027, 3, 14)),
        ("1900-01-01", date(1900, 1, 1)),
        ("2999-12-31", date(2999, 12, 31)),
        ("0001-01-01", None),
        ("9999-12-31", None),
        ("1899-12-31", None),
        ("3000-01-01", None),  # UTC would overflow
        ("2027-02-30", None),
        ("0000-00-00", None),
        ("20270314", None),
        ("2027-W11-1", None),
        ("+2027-03-14", None),
        ("2027-03-14T00:00", None),
        ("２０２７-０３-１４", None),
        ("", None),
        (None, None),
    ],
)
def test_iso_date(text, day):
    assert iso_date(text) == day


def test_link_args_leave_out_url_for_keywords_and_path_values():
    args = MultiDict(
        [
            ("q", "Anna"),
            ("page", "2"),
            ("endpoint", "x"),
            ("_external", "1"),
            ("_method", "POST"),
            ("_scheme", "javascript"),
            ("_anchor", "a"),
            ("event_id", "9"),
            ("q", "second"),
        ]
    )
    assert link_args(args, path_values={"event_id": 3}) == {"q": "Anna", "page": "2"}
    assert link_args(args, drop=("page",), path_values={"event_id": 3}) == {"q": "Anna"}
    assert link_args(args, keep=("page", "endpoint")) == {"page": "2"}


@pytest.mark.parametrize(
    "target",
    [
        "/",
        "/regions/",
        "/events/7?kind=workshop&page=2",
        "/regions/05#kontakter",
        "/manage/visits?q=Anna%20Andersson",
        "/regions/Östergötland",
        "/%2F%2Fevil.example",  # percent-encoded slashes are part of a path here
    ],
)
def test_same_site_paths_are_kept(target):
    assert same_site_path(target) == target


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example",
        "///evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example/path",
        "/\n/evil.example",
        "/\r/evil.example",
        "/\x00/evil",
        "/\x7f/evil",
        "/\x85/evil",
        "/\u200b/evil.example",
        "/\u202e/evil",
        "/\u2028/evil.example",
        "/\u2029/evil",
        "/\ufeff/evil",
        " /regions/",
        "\t/regions/",
        "regions/",
        "javascript:alert(1)",
        "http:/evil.example",
        "evil.example",
        "/" + "a" * 2001,
        "",
        None,
    ],
)
def test_anything_else_is_refused(target):
    assert same_site_path(target) is None


def browser_normalised(address: str) -> str:
    """What a browser makes of an address: no tabs or newlines, no C0 or space at the ends, "\\" read as "/"."""
    for char in "\t\n\r":
        address = address.replace(char, "")
    return address.strip("".join(map(chr, range(0x21)))).replace("\\", "/")


# Mostly the pieces open redirects are made of, now and then any character at all.
ADDRESS_PIECES = st.one_of(
    st.sampled_from(["/", "\\", "\t", "\n", " ", ":", "%2F", "@", "evil.example", "javascript", "?", "\u200b"]),
    st.characters(),
)


@settings(max_examples=1000, deadline=None)
@given(text=st.lists(ADDRESS_PIECES, max_size=8).map("".join))
def test_no_text_makes_a_reader_fail_or_next_leave_the_site(text):
    whole_number(text), record_id(text), iso_date(text)
    kept = same_site_path(text)
    if kept is not None:
        target = browser_normalised(kept)
        assert target.startswith("/") and not target.startswith("//"), repr(kept)
        assert not urlsplit(target).scheme and not urlsplit(target).netloc, repr(kept)
