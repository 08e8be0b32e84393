import pytest
from django.contrib.auth import get_user_model

from tracker.tests.values import PASSWORD


@pytest.fixture
def staff(superuser):
    return superuser


def _log_in(client, password):
    return client.post("/admin/login/?next=/admin/", {"username": "editor", "password": password})


def test_it_logs_in_with_the_right_password(client, staff):
    assert _log_in(client, PASSWORD).status_code == 302


def test_it_locks_the_account_out_after_five_failures(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _log_in(client, "wrong")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()
    assert _log_in(client, "wrong").status_code == 429
    # Even the right password is refused now.
    response = _log_in(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_username(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _log_in(client, "wrong")
    get_user_model().objects.create_superuser("other", "", "other-password-123")
    response = client.post("/admin/login/?next=/admin/", {"username": "other", "password": "other-password-123"})
    assert response.status_code == 302


def test_behind_a_proxy_it_locks_out_the_reader_not_the_proxy(client, staff, settings):
    settings.AXES_CLIENT_IP_CALLABLE = "tracker.middleware.client_ip_behind_proxy"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/admin/login/?next=/admin/",
            {"username": "editor", "password": "wrong"},
            headers={"X-Real-IP": "203.0.113.7"},
        )
    locked = client.post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": PASSWORD},
        headers={"X-Real-IP": "203.0.113.7"},
    )
    assert locked.status_code == 429
    elsewhere = client.post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": PASSWORD},
        headers={"X-Real-IP": "198.51.100.20"},
    )
    assert elsewhere.status_code == 302


def test_a_forged_x_real_ip_from_outside_the_proxy_is_ignored(client, staff, settings):
    """gunicorn reached directly (not through the proxy): the header is the client's own invention."""
    settings.TRUSTED_PROXIES = ["10.0.0.2"]  # the proxy; the test client comes from 127.0.0.1
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/admin/login/?next=/admin/",
            {"username": "editor", "password": "wrong"},
            headers={"X-Real-IP": f"198.51.100.{n}"},  # a new address each time, to dodge the lockout
        )
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": PASSWORD},
        headers={"X-Real-IP": "198.51.100.99"},
    )
    assert response.status_code == 429


def test_behind_the_default_local_proxy_one_readers_failures_do_not_lock_out_another(client, staff, settings):
    """The documented set-up (nginx on the same machine, TRUSTED_PROXIES left at its default): no lockout of
    every editor at once."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/admin/login/?next=/admin/",
            {"username": "editor", "password": "wrong"},
            headers={"X-Real-IP": "203.0.113.7"},
        )
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": PASSWORD},
        headers={"X-Real-IP": "198.51.100.20"},
    )
    assert response.status_code == 302


def test_gunicorn_listens_on_the_loopback_interface_by_default(monkeypatch):
    import runpy
    from pathlib import Path

    monkeypatch.delenv("HOST", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    config = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
    assert config["bind"] == ["127.0.0.1:8000"]
