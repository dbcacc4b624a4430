"""The words people use in address lists: for the columns (in the header row), the sectors
and the regions, compared without case, spaces or punctuation."""

import re

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.display.labels import SECTOR_LABELS
from app.extensions import db
from app.models import Region, Sector

# Header names accepted for each column, compared without case, spaces or punctuation.
# Besides these, the column labels the app itself shows (in Swedish and English) are accepted,
# so a participant list exported from Samverkan can be imported again.
HEADER_WORDS = {
    "name": {"name", "namn", "fullname", "fullständigtnamn", "kontaktperson", "contact", "contactname"},
    "first_name": {"firstname", "förnamn", "fornamn", "givenname"},
    "last_name": {"lastname", "efternamn", "surname", "familyname"},
    "email": {
        "email",
        "emailaddress",
        "epost",
        "epostadress",
        "mail",
        "mailadress",
        "mejl",
        "mejladress",
        "emailadress",
    },
    "organisation": {
        "organisation",
        "organization",
        "org",
        "organisationsnamn",
        "företag",
        "myndighet",
        "arbetsplats",
    },
    "sector": {"sector", "sektor"},
    "municipality": {"municipality", "kommun"},
    "region": {"region", "län", "lan", "county"},
}


HEADER_LABELS = {
    "name": _l("Name"),
    "email": _l("Email address"),
    "organisation": _l("Organisation"),
    "sector": _l("Sector"),
    "municipality": _l("Municipality"),
    "region": _l("Region"),
}


# Other words people use for the sectors, besides the app's own labels in both languages.
SECTOR_WORDS = {
    Sector.MUNICIPALITY: {"kommun", "kommuner"},
    Sector.ADULT_EDUCATION: {"komvux", "vuxenutbildning"},
    Sector.PUBLIC_EMPLOYMENT_SERVICE: {"af", "arbetsförmedlingen", "publicemploymentservice"},
    Sector.EMPLOYER: {"arbetsgivare", "arbetsliv", "arbetslivet", "bransch", "näringsliv", "employer", "industry"},
    Sector.POLITICIAN: {"politiker", "förtroendevald", "politician"},
    Sector.EDUCATION_PROVIDER: {"utbildningsanordnare", "educationprovider"},
    Sector.REGION: {"region"},
    Sector.OTHER: {"övrigt", "annat", "other"},
}


def key(text: str) -> str:
    return re.sub(r"[^0-9a-zåäöéü]", "", text.lower())


def header_words() -> dict[str, str]:
    words = {word: column for column, group in HEADER_WORDS.items() for word in group}
    for locale in ("sv", "en"):
        with force_locale(locale):
            words.update({key(str(label)): column for column, label in HEADER_LABELS.items()})
    return words


def sector_words() -> dict[str, Sector]:
    words = {key(sector.value): sector for sector in Sector}
    for sector, group in SECTOR_WORDS.items():
        words.update({key(word): sector for word in group})
    for locale in ("sv", "en"):
        with force_locale(locale):
            words.update({key(str(label)): sector for sector, label in SECTOR_LABELS.items()})
    return words


def region_words() -> dict[str, str]:
    words = {}
    for code, name in db.session.execute(select(Region.code, Region.name)):
        words[code] = code
        words[code.lstrip("0")] = code
        for form in (name, f"region {name}", f"{name}s län", f"{name} län"):
            words[key(form)] = code
    return words
