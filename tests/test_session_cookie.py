"""The session cookie's signer, made once per key (app/web/session_cookie.py)."""

import pytest
from itsdangerous import BadSignature


def test_the_signer_is_made_once_and_again_when_the_key_changes(make_app):
    app = make_app()
    cookies = app.session_interface
    signer = cookies.get_signing_serializer(app)
    assert cookies.get_signing_serializer(app) is signer
    cookie = signer.dumps({"_user_id": "x"})

    app.secret_key = "another key, as after a rotation, long enough"
    rotated = cookies.get_signing_serializer(app)
    assert rotated is not signer
    with pytest.raises(BadSignature):
        rotated.loads(cookie)

    app.config["SECRET_KEY_FALLBACKS"] = [signer.secret_keys[-1]]
    assert cookies.get_signing_serializer(app).loads(cookie) == {"_user_id": "x"}
