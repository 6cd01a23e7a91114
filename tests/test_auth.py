"""Registration, sign-in and sign-out through the real forms and database."""

from __future__ import annotations

from models import User


def register(client, username="alice", password="correct horse", **extra):
    data = {"username": username, "password": password, "confirm": password, **extra}
    return client.post("/auth/register", data=data)


def test_first_user_becomes_admin_and_later_ones_do_not(client, app):
    assert register(client, "alice").status_code == 302
    client.post("/auth/logout")
    assert register(client, "bob").status_code == 302
    assert User.by_username("alice").is_admin is True
    assert User.by_username("bob").is_admin is False


def test_password_is_stored_as_argon2_hash(client):
    register(client, "alice", "correct horse")
    stored = User.by_username("alice").password_hash
    assert stored.startswith("$argon2id$") and "correct horse" not in stored


def test_usernames_are_unique_ignoring_case(client):
    register(client, "Alice")
    client.post("/auth/logout")
    response = register(client, "alice")
    assert response.status_code == 400
    assert "That username is taken." in response.get_data(as_text=True)
    assert User.objects.count() == 1


def test_registration_rejects_bad_input_with_messages(client):
    response = register(client, "a", "short")
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Field must be between 3 and 32 characters long." in body
    response = register(client, "bad name<script>", "long enough password")
    assert response.status_code == 400
    assert "<script>" not in response.get_data(as_text=True).split("<main")[1].split("value=")[0]
    assert User.objects.count() == 0


def test_login_with_wrong_password_is_refused(client, make_user):
    make_user("alice", "correct horse")
    response = client.post("/auth/login", data={"username": "alice", "password": "wrong"})
    assert response.status_code == 401
    assert "Wrong username or password." in response.get_data(as_text=True)


def test_login_then_home_then_logout(client, make_user, login):
    make_user("alice", "correct horse", display_name="Alice A.")
    assert "Create an account" in client.get("/").get_data(as_text=True)
    login("ALICE")  # usernames ignore case
    assert User.by_username("alice").last_login is not None
    home = client.get("/").get_data(as_text=True)
    assert "Hello, Alice A." in home
    assert client.post("/auth/logout").status_code == 302
    assert "Hello," not in client.get("/").get_data(as_text=True)


def test_login_follows_only_local_next(client, make_user):
    make_user("alice")
    data = {"username": "alice", "password": "correct horse"}
    response = client.post("/auth/login?next=https://evil.example/x", data=data)
    assert response.headers["Location"] == "/"
    client.post("/auth/logout")
    response = client.post("/auth/login?next=/healthz", data=data)
    assert response.headers["Location"] == "/healthz"


def test_disabled_account_cannot_sign_in(client, make_user):
    make_user("alice", disabled=True)
    response = client.post("/auth/login", data={"username": "alice", "password": "correct horse"})
    assert response.status_code == 401


def test_pages_render(client):
    assert client.get("/auth/login").status_code == 200
    assert client.get("/auth/register").status_code == 200
    assert client.get("/nope").status_code == 404
