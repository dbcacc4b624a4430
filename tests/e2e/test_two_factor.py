"""In a real browser: an organiser sets up the second factor with the key shown for typing,
logs out, logs in with password and code, then with a recovery code; the account pages
pass axe, and the CSP (no inline styles) lets the server-drawn QR code show."""

from datetime import timedelta

import pyotp
import pytest
from playwright.sync_api import expect

from app.models.types import utcnow
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def log_in_with_password(page, live_server, organiser):
    page.goto(f"{live_server}/login")
    page.get_by_label("E-postadress").fill(organiser.email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()


def log_out(page):
    page.locator("header").get_by_role("button", name="Logga ut").click()
    expect(page.get_by_text("Du är utloggad.")).to_be_visible()


def test_an_organiser_sets_up_and_uses_the_second_factor(live_server, page, axe_check, organiser):
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    log_in_with_password(page, live_server, organiser)
    expect(page.get_by_role("heading", name="Mina evenemang")).to_be_visible()

    page.get_by_role("link", name="Mitt konto").first.click()
    expect(page.get_by_role("heading", name="Mitt konto")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Ställ in tvåstegsverifiering").click()
    qr = page.get_by_role("img", name="QR-kod att skanna med autentiseringsappen")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth") > 100  # drawn, not blocked
    axe_check(page)
    totp = pyotp.TOTP(page.locator("#totp-key").inner_text().replace(" ", ""))
    page.get_by_label("Kod från din autentiseringsapp").fill("000000")
    page.get_by_role("button", name="Bekräfta").click()
    expect(page.locator(".invalid-feedback", has_text="Koden stämmer inte.")).to_be_visible()
    axe_check(page)
    page.get_by_label("Kod från din autentiseringsapp").fill(totp.now())
    page.get_by_role("button", name="Bekräfta").click()
    expect(page.get_by_role("heading", name="Dina reservkoder")).to_be_visible()
    axe_check(page)
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="Jag har sparat dem").click()
    log_out(page)

    log_in_with_password(page, live_server, organiser)
    expect(page.get_by_role("heading", name="Ange din kod")).to_be_visible()
    axe_check(page)
    # The code used to set up is spent; the next 30-second step's is within the window.
    page.get_by_label("Kod från din autentiseringsapp").fill(totp.at(utcnow() + timedelta(seconds=30)))
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="Mina evenemang")).to_be_visible()
    log_out(page)

    log_in_with_password(page, live_server, organiser)
    page.get_by_role("link", name="Använd en reservkod i stället").click()
    expect(page.get_by_role("heading", name="Använd en reservkod")).to_be_visible()
    axe_check(page)
    page.get_by_label("Reservkod").fill(codes[0])
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="Mina evenemang")).to_be_visible()
    page.locator("footer").get_by_role("link", name="Mitt konto").click()
    expect(page.get_by_text("9 reservkoder finns kvar.")).to_be_visible()
    axe_check(page)
    assert violations == []


def test_forgot_and_change_password_pages_pass_axe(live_server, page, axe_check, organiser):
    page.goto(f"{live_server}/login")
    page.get_by_role("link", name="Glömt ditt lösenord?").click()
    axe_check(page)
    page.get_by_label("E-postadress").fill(organiser.email)
    page.get_by_role("button", name="Skicka länken").click()
    expect(page.get_by_text("Om det finns ett konto med den adressen")).to_be_visible()

    log_in_with_password(page, live_server, organiser)
    page.goto(f"{live_server}/account/password")
    page.get_by_label("Nuvarande lösenord").fill(PASSWORD)
    page.get_by_label("Nytt lösenord").fill("password1234")
    page.get_by_role("button", name="Byt lösenord").click()
    expect(page.locator(".invalid-feedback", has_text="Lösenordet finns bland de vanligaste")).to_be_visible()
    axe_check(page)
