"""Steps several browser tests take the same way."""

from playwright.sync_api import expect

from tests.conftest import PASSWORD


def log_in(page, base_url: str, user) -> None:
    """Log in as `user` on the (Swedish) login page and wait for their own events."""
    page.goto(f"{base_url}/login")
    page.get_by_label("E-postadress").fill(user.email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="Mina evenemang")).to_be_visible()
