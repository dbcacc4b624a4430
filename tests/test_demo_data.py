"""Demo data writes to nobody (issue 14): loading it on an install with a mail server queues
no mail, and every address in it, in the database and in the code that makes it, is at a
domain reserved for examples (RFC 2606), as is the benchmark's data set."""

import re
from pathlib import Path

from sqlalchemy import String, Text, func, select

from app.extensions import db
from app.models import OutboxMessage
from app.services import mail

ROOT = Path(__file__).resolve().parents[1]
ADDRESS = re.compile(r"[\w.+%-]+@([\w-]+(?:\.[\w-]+)+)", re.UNICODE)
RESERVED = ("example.com", "example.net", "example.org")
RESERVED_TLDS = (".example", ".test", ".invalid", ".localhost")


def reserved(domain: str) -> bool:
    domain = domain.lower()
    return (
        domain in RESERVED
        or any(domain.endswith("." + name) for name in RESERVED)
        or any(domain.endswith(tld) for tld in RESERVED_TLDS)
    )


def test_reserved_domains_are_told_apart():
    assert reserved("example.com") and reserved("bench.example.com") and reserved("kommun.example")
    assert not reserved("example.se") and not reserved("linkoping.se") and not reserved("example.com.se")


def test_loading_demo_data_with_a_mail_server_queues_and_sends_nothing(runner, mail_server):
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert mail.deliver_due().handled == 0
    assert mail_server.messages == []
    # Mail queued after loading still goes out: the demo's silence ends with it.
    mail.enqueue("someone@example.com", "test", locale="sv", subject="Test")
    db.session.commit()
    assert mail.deliver_due().handled == 1 and len(mail_server.messages) == 1


def test_every_address_in_the_demo_database_is_at_a_reserved_domain(runner):
    assert runner.invoke(args=["demo-data"]).exit_code == 0
    found = set()
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text)]
        if not columns:
            continue
        for row in db.session.execute(select(*columns)):
            for value in row:
                if value:
                    found.update(ADDRESS.findall(value))
    assert found, "the demo data has addresses"
    assert sorted(d for d in found if not reserved(d)) == []


def test_the_code_that_makes_demo_and_benchmark_data_uses_reserved_domains_only():
    files = [*sorted((ROOT / "app/demo").glob("*.py")), *sorted((ROOT / "bench").glob("*.py"))]
    assert ROOT / "bench/dataset.py" in files
    outside = {
        f"{path.relative_to(ROOT)}: {domain}"
        for path in files
        for domain in ADDRESS.findall(path.read_text(encoding="utf-8"))
        # f-string parts ("@{domain}") and database URLs on loopback ("postgres@127.0.0.1") aside
        if not reserved(domain) and not domain.startswith(("{", "__")) and not domain.replace(".", "").isdigit()
    }
    assert sorted(outside) == []
