"""Address lists as organisers have them: pasted lines or a CSV file from Excel.

`parse` turns the text into rows and checks each one on its own (a valid address,
no duplicate within the list, known sector and region, lengths); the invitations and
contacts services then add what only the database knows (already invited, already
registered, unsubscribed). Nothing is saved here; the preview of a checked list is kept
by previews.py.

Files are read as UTF-8 (with or without a byte-order mark), UTF-16 with a BOM
(Excel's "Unicode text"), or else Windows-1252 (Excel's "CSV (semicolon separated)"
in Swedish); the delimiter (semicolon, comma or tab) is taken from the header row.
"""

import codecs
import csv
import io
import re
from dataclasses import asdict, dataclass

from flask_babel import gettext as _

from app.services import ValidationError
from app.services.invitations.address_words import header_words, key, region_words, sector_words
from app.services.text import normalise_email

MAX_ROWS = 20_000
LIMITS = {"name": 120, "organisation": 200, "municipality": 100}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Problem:
    """Why a row cannot be used; stored as the code, described in the reader's language."""

    MISSING_EMAIL = "missing_email"
    INVALID_EMAIL = "invalid_email"
    DUPLICATE = "duplicate"
    TOO_LONG = "too_long"
    UNKNOWN_SECTOR = "unknown_sector"
    UNKNOWN_REGION = "unknown_region"
    ALREADY_INVITED = "already_invited"
    ALREADY_REGISTERED = "already_registered"
    UNSUBSCRIBED = "unsubscribed"
    ALREADY_CONTACT = "already_contact"


@dataclass
class AddressRow:
    """One person in a list. `line` is the line in the file (the row number Excel shows)."""

    line: int
    email: str
    name: str = ""
    organisation: str = ""
    sector: str = ""  # a Sector value, or empty
    municipality: str = ""
    region: str = ""  # a county code, or empty
    problem: str = ""  # a Problem code; empty when the row can be used
    detail: str = ""  # what the problem is about: a line number, a field, the text not understood

    @property
    def ok(self) -> bool:
        return not self.problem

    def flag(self, problem: str, detail="") -> None:
        """Note the row's first problem; later checks do not hide it."""
        if not self.problem:
            self.problem, self.detail = problem, str(detail)

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "AddressRow":
        names = cls.__dataclass_fields__
        return cls(**{key: value for key, value in data.items() if key in names})


def describe(row: AddressRow) -> str:
    """The row's problem as a sentence for the organiser."""
    field_names = {"name": _("name"), "organisation": _("organisation"), "municipality": _("municipality")}
    messages = {
        Problem.MISSING_EMAIL: lambda: _("No email address."),
        Problem.INVALID_EMAIL: lambda: _("Not a valid email address."),
        Problem.DUPLICATE: lambda: _("Same address as row %(line)s.", line=row.detail),
        Problem.TOO_LONG: lambda: _(
            "The %(field)s is longer than %(n)d characters.",
            field=field_names.get(row.detail, row.detail),
            n=LIMITS.get(row.detail, 0),
        ),
        Problem.UNKNOWN_SECTOR: lambda: _("Unknown sector “%(text)s”.", text=row.detail),
        Problem.UNKNOWN_REGION: lambda: _("Unknown region “%(text)s”.", text=row.detail),
        Problem.ALREADY_INVITED: lambda: _("Already invited."),
        Problem.ALREADY_REGISTERED: lambda: _("Already registered."),
        Problem.UNSUBSCRIBED: lambda: _("Has unsubscribed from invitations."),
        Problem.ALREADY_CONTACT: lambda: _("Already in the address book."),
    }
    return messages[row.problem]() if row.problem in messages else ""


# Reading the text


def decode(data: bytes) -> str:
    """The text of an uploaded file, in whichever of the encodings Excel writes it is."""
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValidationError(
            {
                "file": _(
                    "This is an Excel workbook, not a CSV file. "
                    "In Excel, choose Save as and “CSV UTF-8”, then upload that file."
                )
            }
        )
    if data.startswith(codecs.BOM_UTF8):
        data, encodings = data[len(codecs.BOM_UTF8) :], ("utf-8",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8", "cp1252")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise ValidationError({"file": _("The file could not be read as text. Save it from Excel as “CSV UTF-8”.")})


def _delimiter(line: str) -> str:
    counts = {delimiter: line.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _columns(cells: list[str]) -> dict[str, int] | None:
    """The column of each field when `cells` is a header row with an email column, else None."""
    words = header_words()
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        column = words.get(key(cell))
        if column and column not in found:
            found[column] = index
    return found if "email" in found else None


def _cell(text: str) -> str:
    text = " ".join(text.split())
    # Our own CSV exports guard formulas with an apostrophe; take it off again.
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        text = text[1:]
    return text


def parse(text: str, *, field: str = "addresses") -> list[AddressRow]:
    """Rows from pasted text or a file's text, each checked on its own.

    A first line with an email column header (e.g. namn;e-post;organisation;sektor;kommun)
    makes the text a table; otherwise every line is one address (`Name <email>` accepted,
    several on a line when separated by semicolons, as mail programs copy them).
    Raises ValidationError (under `field`) when there is nothing to import or too much.
    """
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise ValidationError({field: _("There are no addresses in it.")})
    delimiter = _delimiter(lines[first])
    header = next(_csv_rows(csv.reader([lines[first]], delimiter=delimiter), field, lines_before=first))
    columns = _columns(header)
    if columns is not None:
        rows = _table_rows(text, delimiter, columns, field)
    else:
        rows = _line_rows(lines, field)
    if not rows:
        raise ValidationError({field: _("There are no addresses in it.")})
    _check(rows)
    return rows


def _too_many(field: str) -> ValidationError:
    return ValidationError(
        {
            field: _(
                "The list has more than %(n)s rows. Split it into smaller lists.", n=f"{MAX_ROWS:,}".replace(",", " ")
            )
        }
    )


def _csv_rows(reader, field: str, *, lines_before: int = 0):
    """The reader's rows. A cell too long for Python's csv module (more than 131,072 characters;
    usually a quotation mark never closed, which makes the rest of the file one cell) is the
    organiser's to fix, so it is refused under `field` with the line it starts on."""
    read = lines_before
    try:
        for cells in reader:
            yield cells
            read = lines_before + reader.line_num
    except csv.Error:
        raise ValidationError(
            {
                field: _(
                    'Line %(line)d could not be read: a cell is far too long. Is a quotation mark (") not closed?',
                    line=read + 1,
                )
            }
        ) from None


def _table_rows(text: str, delimiter: str, columns: dict[str, int], field: str) -> list[AddressRow]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[AddressRow] = []
    header_seen = False
    for cells in _csv_rows(reader, field):
        if not any(cell.strip() for cell in cells):
            continue
        if not header_seen:
            header_seen = True
            continue
        if len(rows) >= MAX_ROWS:
            raise _too_many(field)

        found = {column: _cell(cells[index]) if index < len(cells) else "" for column, index in columns.items()}
        name = found.get("name") or " ".join(part for part in (found.get("first_name"), found.get("last_name")) if part)
        rows.append(
            AddressRow(
                line=reader.line_num,
                email=found["email"],
                name=name,
                organisation=found.get("organisation", ""),
                sector=found.get("sector", ""),
                municipality=found.get("municipality", ""),
                region=found.get("region", ""),
            )
        )
    return rows


NAME_AND_ADDRESS = re.compile(r'^\s*"?([^"<>]*?)"?\s*<([^<>]*)>\s*$')


def _name_and_address(text: str) -> tuple[str, str]:
    match = NAME_AND_ADDRESS.match(text)
    if match:
        return _cell(match.group(1)), match.group(2).strip()
    return "", _cell(text)


def _line_entries(line: str) -> list[tuple[str, str]]:
    """The (name, address) pairs on one pasted line."""
    pieces = [piece.strip() for piece in re.split(r"[;,]", line) if piece.strip()]
    if len(pieces) > 1 and all("@" in piece for piece in pieces):
        return [_name_and_address(piece) for piece in pieces]  # "a <a@x.se>; b <b@x.se>"
    if "<" in line:
        return [_name_and_address(line)]  # "Andersson, Anna <anna@x.se>"
    cells = [cell.strip() for cell in re.split(r"[;,\t]", line) if cell.strip()]
    with_at = [cell for cell in cells if "@" in cell]
    if len(cells) > 1 and len(with_at) == 1:
        # "Anna Andersson<TAB>anna@x.se" from a spreadsheet: the name comes before the address.
        position = cells.index(with_at[0])
        return [(_cell(" ".join(cells[:position])), with_at[0])]
    return [("", _cell(line))]


def _line_rows(lines: list[str], field: str) -> list[AddressRow]:
    rows: list[AddressRow] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        for name, address in _line_entries(line):
            if len(rows) >= MAX_ROWS:
                raise _too_many(field)
            rows.append(AddressRow(line=number, email=address, name=name))
    return rows


# An ASCII local part as email-validator accepts it (a dot-atom of at most 64 characters).
ASCII_LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")


def normalise_address(address: str, domains: dict[str, str | None]) -> str:
    """`text.normalise_email`, with each domain checked once per list (lists repeat domains).

    Gives exactly what normalise_email gives; raises ValidationError the same way.
    """
    address = address.strip()
    local, at, domain = address.rpartition("@")
    if not (at and len(address) <= 254 and len(local) <= 64 and ASCII_LOCAL_PART.fullmatch(local)):
        return normalise_email(address)
    if domain not in domains:
        try:
            domains[domain] = normalise_email("a@" + domain)[2:]
        except ValidationError:
            domains[domain] = None
    if domains[domain] is None:
        return normalise_email(address)  # raises, with its message
    return f"{local.lower()}@{domains[domain]}"


def _check(rows: list[AddressRow]) -> None:
    """What can be told from the list alone: the address, lengths, sector, region, duplicates."""
    sectors = sector_words()
    regions = region_words() if any(row.region for row in rows) else {}
    domains: dict[str, str | None] = {}
    first_line: dict[str, int] = {}
    for row in rows:
        if not row.email:
            row.flag(Problem.MISSING_EMAIL)
        else:
            try:
                row.email = normalise_address(row.email, domains)
            except ValidationError:
                row.flag(Problem.INVALID_EMAIL)
        for name, limit in LIMITS.items():
            if len(getattr(row, name)) > limit:
                row.flag(Problem.TOO_LONG, name)
        if row.sector:
            sector = sectors.get(key(row.sector))
            if sector is None:
                row.flag(Problem.UNKNOWN_SECTOR, row.sector[:60])
            else:
                row.sector = sector.value
        if row.region:
            code = regions.get(key(row.region)) or regions.get(row.region.strip())
            if code is None:
                row.flag(Problem.UNKNOWN_REGION, row.region[:60])
            else:
                row.region = code
        if row.problem in (Problem.MISSING_EMAIL, Problem.INVALID_EMAIL):
            continue
        if row.email in first_line:
            row.flag(Problem.DUPLICATE, first_line[row.email])
        else:
            first_line[row.email] = row.line


def flag_known(rows: list[AddressRow], problem: str, known: set[str]) -> None:
    """Flag the usable rows whose address is in `known`."""
    for row in rows:
        if row.ok and row.email in known:
            row.flag(problem)


def emails_in(rows: list[AddressRow]) -> list[str]:
    return [row.email for row in rows if row.ok]


def chunks(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start : start + size]
