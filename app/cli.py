"""Commands: `flask --app wsgi demo-data`, `flask --app wsgi create-user`."""

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from app.extensions import db
from app.models import Event, Role
from app.services import ValidationError, users
from app.services.events import region_by_code


@click.command("create-user")
@click.option("--email", prompt=True, help="Login address.")
@click.option("--name", prompt=True, help="Full name.")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.ORGANISER.value, show_default=True)
@click.option("--region", "region_code", default="", help="County code of the user's region, e.g. 05.")
@click.password_option(help="At least 10 characters; prompted for when not given.")
@with_appcontext
def create_user(email: str, name: str, role: str, region_code: str, password: str) -> None:
    """Create an organiser or admin account."""
    region = region_by_code(region_code) if region_code else None
    if region_code and region is None:
        raise click.BadParameter(f"no region has the code {region_code}", param_hint="--region")
    try:
        user = users.create_user(email, name, password, Role(role), region)
    except ValidationError as error:
        raise click.ClickException("; ".join(error.problems.values())) from None
    click.echo(f"Created {user.role.value} {user.email}.")


@click.command("demo-data")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has events.")
@with_appcontext
def demo_data(if_empty: bool) -> None:
    """Load the events of the article, a few upcoming ones and the demo accounts."""
    from app.demo import DEMO_ADMIN, DEMO_ORGANISER, load_demo_data

    if if_empty and db.session.scalar(select(Event.id).limit(1)) is not None:
        click.echo("The database already has events; demo data not loaded.")
    else:
        count = load_demo_data()
        click.echo(f"Loaded {count} demo events.")
    click.echo(f"Demo organiser: {DEMO_ORGANISER['email']} / password {DEMO_ORGANISER['password']}")
    click.echo(f"Demo admin: {DEMO_ADMIN['email']} / password {DEMO_ADMIN['password']}")


COMMANDS = [create_user, demo_data]
