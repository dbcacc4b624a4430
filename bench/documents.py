"""How long the printable PDFs take and how large they are (target: 300 badges under 2 s).

A conference of 300 prints its badges at once; the feedback mail of the same conference
attaches a certificate to each of 300 mails, one PDF each. Both run in this process with
the app's own functions (app/documents), without the database.

    .venv/bin/python -m bench.documents

The runner can take it as an extra: EXTRAS["documents"] = documents.measure_documents.
"""

import json
import time
from datetime import UTC, date, datetime, timedelta

COUNT = 300
LONG_NAMES = ["Anna-Karin Östergren-Wallenius", "Bo Ek", "Maria Andersson Lindqvist", "Karl-Johan Åkesson"]


def _badges():
    from app.documents import Badge

    return [
        Badge(
            f"{LONG_NAMES[n % len(LONG_NAMES)]} {n}",
            "Komvux Sandviken, Vuxenutbildningen i Sandvikens kommun" if n % 2 else "Region Gävleborg",
            f"https://samverkan.example.com/manage/events/7/checkin/scan?code={n:06d}-aB3dE5fG7hJ9kL1mN3pQ",
        )
        for n in range(COUNT)
    ]


def _certificate(n: int):
    from app.documents import CertificateData, verification_code

    start = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)
    return CertificateData(
        participant_name=f"{LONG_NAMES[n % len(LONG_NAMES)]} {n}",
        participant_organisation="Region Gävleborg",
        event_title="Nationell konferens om validering",
        event_kind="national_conference",
        starts_at=start,
        ends_at=start + timedelta(days=1, hours=7),
        venue_name="Gävle Konserthus",
        venue_city="Gävle",
        organiser_name="Valideringsdelegationen",
        issued_on=date(2026, 12, 12),
        verification_code=verification_code(n, "bench-key"),
        signer_name="Eva Berg",
        signer_role="Kanslichef",
    )


def _timed(make) -> tuple[bytes, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = make()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def measure_documents(ctx=None, app=None) -> dict:
    """Seconds (wall and CPU) and bytes for 300 badges per layout, one certificate, 300
    single certificates (the survey mail's attachments) and 300 in one PDF."""
    from app.documents import badge_sheet_pdf, certificate_pdf, certificates_pdf

    app = app or ctx.app
    results = {}
    with app.app_context():
        certificate_pdf(_certificate(0))  # imports and first font load out of the figures
        people = _badges()
        for layout in ("2x4", "2x5"):
            pdf, wall, cpu = _timed(
                lambda layout=layout: badge_sheet_pdf(people, layout=layout, event_title="Konferens")
            )
            results[f"badges_{COUNT}_{layout}"] = {
                "seconds": round(wall, 3),
                "cpu_seconds": round(cpu, 3),
                "bytes": len(pdf),
            }
        pdf, wall, cpu = _timed(lambda: certificate_pdf(_certificate(1)))
        results["certificate_1"] = {"seconds": round(wall, 3), "cpu_seconds": round(cpu, 3), "bytes": len(pdf)}
        singles, wall, cpu = _timed(lambda: [certificate_pdf(_certificate(n)) for n in range(COUNT)])
        results[f"certificates_{COUNT}_separate"] = {
            "seconds": round(wall, 3),
            "cpu_seconds": round(cpu, 3),
            "bytes": sum(map(len, singles)),
        }
        pdf, wall, cpu = _timed(lambda: certificates_pdf([_certificate(n) for n in range(COUNT)]))
        results[f"certificates_{COUNT}_one_pdf"] = {
            "seconds": round(wall, 3),
            "cpu_seconds": round(cpu, 3),
            "bytes": len(pdf),
        }
    return results


if __name__ == "__main__":
    import os

    from app import create_app
    from config import TestingConfig

    print(json.dumps({"load_average": os.getloadavg(), **measure_documents(app=create_app(TestingConfig))}, indent=2))
