"""The suppression list: addresses that unsubscribed from invitations and whose address
itself has since been erased (on request, or after the retention period).

Only an HMAC-SHA256 of the normalised address is kept, under ADDRESS_HASH_KEY. It cannot
be turned back into the address; it can only answer "is this address one of them?" for
an address someone types or imports, which is all an unsubscribe needs.
"""

import hashlib
import hmac
from collections.abc import Iterable

from flask import current_app
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.extensions import db
from app.models import SuppressedAddress
from app.services.bulk import among


def address_hash(address: str) -> str:
    """The keyed hash of a normalised (lower-case) address, as hex."""
    key = current_app.config["ADDRESS_HASH_KEY"].encode()
    return hmac.new(key, address.strip().lower().encode(), hashlib.sha256).hexdigest()


def suppress(address: str) -> None:
    """Keep the address from being invited again, without keeping the address; the caller commits."""
    digest = address_hash(address)
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    # Two erasures of the same address at once must not fail on the primary key.
    db.session.execute(
        insert(SuppressedAddress).values(address_hash=digest).on_conflict_do_nothing(index_elements=["address_hash"])
    )


def is_suppressed(address: str) -> bool:
    return db.session.get(SuppressedAddress, address_hash(address)) is not None


def suppressed_among(addresses: Iterable[str]) -> set[str]:
    """Which of these normalised addresses are on the suppression list."""
    by_hash = {address_hash(address): address for address in addresses}
    found: set[str] = set()
    for condition in among(SuppressedAddress.address_hash, list(by_hash)):
        found.update(
            by_hash[digest] for digest in db.session.scalars(select(SuppressedAddress.address_hash).where(condition))
        )
    return found
