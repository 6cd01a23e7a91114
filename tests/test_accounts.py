"""Registration modes, invitation links, the admin page, reset links and ``flask users``."""

from __future__ import annotations

import json
import re

import pytest

import settings
from models import AccountToken, User

INVITE_URL = re.compile(r"/auth/register\?invite=([\w-]+)")
RESET_URL = re.compile(r"/auth/reset/([\w-]+)")
FORM = {"password": "long enough pw", "confirm": "long enough pw"}


@pytest.fixture
def default_mode(app, monkeypatch):
    """The real default: open until an administrator exists, then invite."""
    monkeypatch.setitem(app.config, "REGISTRATION", None)


def register(client, username: str, invite: str | None = None):
    url = "/auth/register" + (f"?invite={invite}" if invite else "")
    return client.post(url, data={**FORM, "username": username})


def signed_in_as(app, username: str, password: str = "correct horse"):
    other = app.test_client()
    assert (
        other.post("/auth/login", data={"username": username, "password": password}).status_code
        == 302
    )
    return other


def test_invite_mode_refuses_a_registration_without_a_valid_invite(app, client, default_mode):
    assert register(client, "root").status_code == 302  # the first account: open, admin
    assert User.by_username("root").is_admin
    admin = client
    newcomer = app.test_client()
    refused = register(newcomer, "mallory")
    assert refused.status_code == 403 and "invitation" in refused.get_data(as_text=True)
    assert register(newcomer, "mallory", invite="made-up-token").status_code == 403
    assert newcomer.get("/auth/register").status_code == 403
    assert User.by_username("mallory") is None

    page = admin.post("/admin/invites", follow_redirects=True).get_data(as_text=True)
    token = INVITE_URL.search(page).group(1)
    assert AccountToken.objects(digest=token).count() == 0  # only a hash is stored
    assert newcomer.get(f"/auth/register?invite={token}").status_code == 200
    assert register(newcomer, "olga", invite=token).status_code == 302
    assert not User.by_username("olga").is_admin
    assert register(app.test_client(), "eve", invite=token).status_code == 403  # used once
    assert User.by_username("eve") is None


@pytest.mark.parametrize("mode", ["closed", "invite"])
def test_explicit_modes(app, client, make_user, monkeypatch, mode):
    monkeypatch.setitem(app.config, "REGISTRATION", mode)
    make_user("root", is_admin=True)
    admin = signed_in_as(app, "root")
    token = INVITE_URL.search(admin.post("/admin/invites", follow_redirects=True)
                              .get_data(as_text=True)).group(1)  # fmt: skip
    answer = register(client, "olga", invite=token)
    assert answer.status_code == (403 if mode == "closed" else 302)
    assert (User.by_username("olga") is None) == (mode == "closed")


def test_registration_setting_is_checked(monkeypatch):
    monkeypatch.setenv("REGISTRATION", "Invite")
    assert settings.registration() == "invite"
    monkeypatch.setenv("REGISTRATION", "sometimes")
    with pytest.raises(ValueError, match="open, invite, closed"):
        settings.registration()
    monkeypatch.delenv("REGISTRATION")
    assert settings.registration() is None


def test_admin_page_roles_and_disabling(app, make_user):
    make_user("root", is_admin=True)
    ben = make_user("ben")
    as_ben = signed_in_as(app, "ben")
    assert as_ben.get("/admin/").status_code == 403
    assert as_ben.post(f"/admin/users/{ben.id}/promote").status_code == 403
    admin = signed_in_as(app, "root")
    page = admin.get("/admin/").get_data(as_text=True)
    assert 'data-user="ben"' in page and "Registration: open" in page

    admin.post(f"/admin/users/{ben.id}/disable")
    assert User.objects.get(id=ben.id).disabled
    assert as_ben.get("/mood").status_code == 302  # signed out at once
    assert app.test_client().post("/auth/login", data={"username": "ben",
                                  "password": "correct horse"}).status_code == 401  # fmt: skip
    admin.post(f"/admin/users/{ben.id}/enable")
    as_ben = signed_in_as(app, "ben")

    admin.post(f"/admin/users/{ben.id}/promote")
    assert as_ben.get("/admin/").status_code == 200
    root = User.by_username("root")
    answer = admin.post(f"/admin/users/{ben.id}/demote", follow_redirects=True)
    assert answer.status_code == 200 and not User.objects.get(id=ben.id).is_admin
    refused = admin.post(f"/admin/users/{root.id}/demote", follow_redirects=True)
    assert "only administrator" in refused.get_data(as_text=True)
    assert User.objects.get(id=root.id).is_admin
    assert admin.post(f"/admin/users/{ben.id}/explode").status_code == 404
    assert admin.post("/admin/users/ghost/promote").status_code == 404


def test_a_reset_link_sets_a_password_once_and_signs_out_everywhere(app, make_user):
    make_user("root", is_admin=True)
    ben = make_user("ben")
    as_ben = signed_in_as(app, "ben")
    admin = signed_in_as(app, "root")
    page = admin.post(f"/admin/users/{ben.id}/reset-link", follow_redirects=True)
    token = RESET_URL.search(page.get_data(as_text=True)).group(1)
    visitor = app.test_client()
    assert "ben" in visitor.get(f"/auth/reset/{token}").get_data(as_text=True)
    mismatch = visitor.post(f"/auth/reset/{token}", data={"password": "new password 1",
                                                           "confirm": "other"})  # fmt: skip
    assert mismatch.status_code == 400
    changed = {"password": "new password 1", "confirm": "new password 1"}
    assert visitor.post(f"/auth/reset/{token}", data=changed).status_code == 302
    assert as_ben.get("/mood").status_code == 302  # the old session is over
    assert visitor.post(f"/auth/reset/{token}", data=changed).status_code == 404  # once
    assert app.test_client().post("/auth/login", data={"username": "ben",
                                  "password": "correct horse"}).status_code == 401  # fmt: skip
    signed_in_as(app, "ben", "new password 1")


def test_flask_users_commands(app, monkeypatch):
    runner = app.test_cli_runner()
    monkeypatch.setenv("MOODROOM_PASSWORD", "cli password 1")
    assert runner.invoke(args=["users", "create", "root", "--admin"]).exit_code == 0
    assert runner.invoke(args=["users", "create", "ben"]).exit_code == 0
    taken = runner.invoke(args=["users", "create", "BEN"])
    assert taken.exit_code != 0 and "taken" in taken.output
    assert runner.invoke(args=["users", "create", "x y"]).exit_code != 0
    rows = [json.loads(line) for line in
            runner.invoke(args=["users", "list", "--json"]).output.splitlines()]  # fmt: skip
    assert [(r["username"], r["admin"], r["disabled"]) for r in rows] == [
        ("ben", False, False), ("root", True, False)]  # fmt: skip
    for action in ("promote", "disable", "enable", "demote"):
        result = runner.invoke(args=["users", action, "ben"])
        assert result.exit_code == 0, result.output
    assert not User.by_username("ben").is_admin and not User.by_username("ben").disabled
    last = runner.invoke(args=["users", "demote", "root"])
    assert last.exit_code != 0 and "only administrator" in last.output
    assert runner.invoke(args=["users", "disable", "ghost"]).exit_code != 0
    link = runner.invoke(args=["users", "reset-password", "ben", "--base-url", "https://m.example"])
    token = RESET_URL.search(link.output).group(1)
    assert link.output.startswith("https://m.example/auth/reset/")
    assert AccountToken.valid(token, "reset").user.username == "ben"
    signed_in_as(app, "ben", "cli password 1")
