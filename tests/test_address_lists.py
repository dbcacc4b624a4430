"""Reading address lists as organisers have them: pasted lines, CSV files from Excel in
its encodings and delimiters, Swedish or English headers, and junk."""

import codecs

import pytest

from app.services import ValidationError
from app.services.invitations.address_lists import MAX_ROWS, Problem, decode, describe, parse


def test_pasted_lines_with_names_and_junk():
    rows = parse(
        "anna.andersson@linkoping.se\n"
        "\n"
        "Erik Ek <Erik.Ek@Norrkoping.se>\n"
        '"Andersson, Åsa" <asa@motala.se>\n'
        "ring Pelle imorgon\n"
        "   \n"
        "kalle@@example.se\n"
    )
    assert [(row.line, row.name, row.email, row.problem) for row in rows] == [
        (1, "", "anna.andersson@linkoping.se", ""),
        (3, "Erik Ek", "erik.ek@norrkoping.se", ""),
        (4, "Andersson, Åsa", "asa@motala.se", ""),
        (5, "", "ring Pelle imorgon", Problem.INVALID_EMAIL),
        (7, "", "kalle@@example.se", Problem.INVALID_EMAIL),
    ]


def test_several_addresses_on_a_line_as_mail_programs_copy_them():
    rows = parse("Anna A <anna@example.se>; Bo B <bo@example.se>, cecilia@example.se")
    assert [(row.name, row.email) for row in rows] == [
        ("Anna A", "anna@example.se"),
        ("Bo B", "bo@example.se"),
        ("", "cecilia@example.se"),
    ]
    assert {row.line for row in rows} == {1}


def test_name_and_address_pasted_from_two_spreadsheet_columns():
    rows = parse("Anna Andersson\tanna@example.se\nBo Berg;bo@example.se")
    assert [(row.name, row.email) for row in rows] == [
        ("Anna Andersson", "anna@example.se"),
        ("Bo Berg", "bo@example.se"),
    ]


def test_duplicates_within_the_list_point_at_the_first_row():
    rows = parse("anna@example.se\nbo@example.se\nAnna@Example.se")
    assert rows[2].problem == Problem.DUPLICATE and rows[2].detail == "1"
    assert describe(rows[2]) == "Samma adress som rad 1."


def swedish_excel_csv() -> bytes:
    """What Swedish Excel writes for "CSV (semikolonavgränsad)": Windows-1252, semicolons, CRLF."""
    text = (
        "Namn;E-post;Organisation;Sektor;Kommun\r\n"
        "Åsa Öberg;asa.oberg@ödeshög.se;Ödeshögs kommun;Kommun;Ödeshög\r\n"
        "Björn Ähl;bjorn@example.se;Komvux Linköping;Vuxenutbildning;Linköping\r\n"
        ';"";;;\r\n'
    )
    return text.encode("cp1252")


def test_windows_1252_with_semicolons_and_swedish_headers():
    rows = parse(decode(swedish_excel_csv()))
    assert [(row.line, row.name, row.email, row.organisation, row.sector, row.municipality) for row in rows] == [
        (2, "Åsa Öberg", "asa.oberg@ödeshög.se", "Ödeshögs kommun", "municipality", "Ödeshög"),
        (3, "Björn Ähl", "bjorn@example.se", "Komvux Linköping", "adult_education", "Linköping"),
    ]
    assert all(row.ok for row in rows)


@pytest.mark.parametrize("bom, encoding", [(codecs.BOM_UTF8, "utf-8"), (b"", "utf-8"), (b"", "utf-16")])
def test_utf8_with_and_without_bom_and_excel_unicode_text(bom, encoding):
    text = (
        "name,email,organisation,sector,municipality\n"
        'Åke Öst,ake@example.se,"Region Östergötland, HR",region,Linköping\n'
    )
    data = bom + text.encode(encoding)
    rows = parse(decode(data))
    assert len(rows) == 1
    row = rows[0]
    assert (row.name, row.email, row.organisation, row.sector) == (
        "Åke Öst",
        "ake@example.se",
        "Region Östergötland, HR",
        "region",
    )


def test_tab_separated_header_and_first_and_last_name_columns():
    rows = parse("Förnamn\tEfternamn\tMejladress\tLän\nAnna\tAndersson\tanna@example.se\tÖstergötland\n")
    assert (rows[0].name, rows[0].email, rows[0].region) == ("Anna Andersson", "anna@example.se", "05")


def test_unknown_sector_region_and_overlong_fields_are_problems():
    rows = parse(
        "email;sector;region;name\n"
        "a@example.se;astronaut;;\n"
        "b@example.se;;Atlantis;\n"
        f"c@example.se;;;{'x' * 121}\n"
        "d@example.se;Politiker;region Kronoberg;\n"
    )
    assert [row.problem for row in rows] == [
        Problem.UNKNOWN_SECTOR,
        Problem.UNKNOWN_REGION,
        Problem.TOO_LONG,
        "",
    ]
    assert describe(rows[0]) == "Okänd sektor ”astronaut”."
    assert (rows[3].sector, rows[3].region) == ("politician", "07")


def test_missing_address_in_a_table_row():
    rows = parse("namn;e-post\nAnna;\n")
    assert rows[0].problem == Problem.MISSING_EMAIL


@pytest.mark.parametrize("text", ["", "\n\n  \n", "namn;e-post\n;\n\n"])
def test_an_empty_list_is_refused(text):
    with pytest.raises(ValidationError) as error:
        parse(text)
    assert error.value.problems == {"addresses": "Det finns inga adresser i den."}


def test_a_huge_list_is_refused():
    text = "e-post\n" + "".join(f"p{n}@example.se\n" for n in range(MAX_ROWS + 1))
    with pytest.raises(ValidationError) as error:
        parse(text, field="file")
    assert "20 000" in error.value.problems["file"]


@pytest.mark.parametrize(
    "text, line",
    [
        ("namn;e-post\n" + "A" * 140_000 + ";anna@example.se\n", 2),  # longer than Python's csv takes
        ('e-post;namn\nanna@example.se;Anna\nbo@example.se;"Bo\n' + "x;y\n" * 40_000, 3),  # a quote never closed
        ("e-post;" + "n" * 140_000 + "\nanna@example.se\n", 1),  # in the header
        ("\n\n e-post;" + "n" * 140_000 + "\nanna@example.se\n", 3),
    ],
)
def test_a_cell_too_long_to_read_is_refused_with_its_line(text, line):
    with pytest.raises(ValidationError) as error:
        parse(text, field="file")
    assert error.value.problems == {
        "file": (f'Rad {line} gick inte att läsa: en cell är alldeles för lång. Saknas ett avslutande citattecken (")?')
    }


def test_an_excel_workbook_or_binary_file_is_refused_with_advice():
    with pytest.raises(ValidationError) as error:
        decode(b"PK\x03\x04 rest of a zip file")
    assert "CSV UTF-8" in error.value.problems["file"]
    with pytest.raises(ValidationError):
        decode(b"\x81\x8d\x00\x00binary")


def test_formula_guard_from_our_own_export_is_taken_off():
    rows = parse("Namn;E-postadress\n'=Anna;anna@example.se\n")
    assert rows[0].name == "=Anna"


@pytest.mark.parametrize(
    "address",
    [
        "Anna.Andersson@Linkoping.SE",
        "a@b.se",
        "x+tag@example.se",
        "a..b@example.se",
        ".a@example.se",
        "a.@example.se",
        "a@example",
        "a@-example.se",
        "a@example..se",
        "a@localhost",
        "a@test",
        "a b@example.se",
        "ÅSA@example.se",
        "asa@ÖDESHÖG.se",
        "a@xn--deshg-mua.se",
        '"quoted"@example.se',
        "a@" + "x" * 250 + ".se",
        "l" * 65 + "@example.se",
        "a@[127.0.0.1]",
        "@example.se",
        "a@",
        "a@b@example.se",
        "a@exa_mple.se",
        "o'brien@example.ie",
        "a@example.se.",
        "a@EXAMPLE.se",
    ],
)
def test_the_fast_address_check_agrees_with_email_validator(address):
    from app.services.accounts.users import normalise_email
    from app.services.invitations.address_lists import normalise_address

    try:
        expected = normalise_email(address)
    except ValidationError:
        expected = None
    domains: dict = {}
    for _ in range(2):  # the second time from the domain cache
        try:
            got = normalise_address(address, domains)
        except ValidationError:
            got = None
        assert got == expected
