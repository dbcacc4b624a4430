"""Admins manage accounts and the names of the five steps."""

from sqlalchemy import select

from app.extensions import db
from app.models import CollaborationStep, Role, User
from tests.conftest import PASSWORD


def test_admin_creates_an_organiser_tied_to_a_region(client, auth, admin):
    auth.login(admin)
    response = client.post(
        "/admin/users/new",
        data={
            "email": "Ny.Person@Example.se",
            "name": "Ny Person",
            "role": "organiser",
            "region": "07",
            "active": "y",
            "password": "tillräckligt långt",
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "ny.person@example.se"))
    assert user.role == Role.ORGANISER and user.region.code == "07"


def test_admin_user_form_refuses_bad_input(client, auth, admin):
    auth.login(admin)
    response = client.post(
        "/admin/users/new",
        data={
            "email": admin.email,
            "name": "Dubblett",
            "role": "organiser",
            "password": "kort",
        },
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Det finns redan ett konto med den adressen." in page
    assert "Lösenordet måste ha minst 12 tecken." in page
    response = client.post("/admin/users/new", data={"email": "x", "name": "", "role": "boss", "password": ""})
    assert response.status_code == 400


def test_deactivating_a_user_ends_their_sessions(app, client, auth, admin, make_user):
    user = make_user()
    other = app.test_client()
    other.post("/login", data={"email": user.email, "password": PASSWORD})
    assert other.get("/manage/").status_code == 200
    auth.login(admin)
    client.post(f"/admin/users/{user.id}", data={"name": user.name, "role": "organiser", "region": ""})
    assert other.get("/manage/").status_code == 302
    db.session.refresh(user)
    assert user.active is False


def test_admin_renames_the_steps_all_or_nothing(client, auth, admin):
    auth.login(admin)
    data = {f"step_{n}_{lang}": f"Steg {n} {lang}" for n in range(1, 6) for lang in ("sv", "en")}
    assert client.post("/admin/steps", data=data).status_code == 302
    assert db.session.get(CollaborationStep, 3).name_sv == "Steg 3 sv"

    data["step_2_en"] = " "
    data["step_1_sv"] = "Ändrat"
    response = client.post("/admin/steps", data=data)
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(CollaborationStep, 1).name_sv == "Steg 1 sv"


def test_too_long_step_names_are_refused_not_cut(client, auth, admin):
    auth.login(admin)
    data = {f"step_{n}_{lang}": f"Steg {n}" for n in range(1, 6) for lang in ("sv", "en")}
    data["step_2_sv"] = "x" * 3000
    response = client.post("/admin/steps", data=data)
    assert response.status_code == 400
    assert "Ett stegs namn kan ha högst 120 tecken." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(CollaborationStep, 2).name_sv == "Samla aktörerna"
