"""Settings come from the environment: safe defaults, and a loud failure where a default would
be unsafe. Each case evaluates clientport/settings.py afresh with its own environment."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

import clientport.settings

SETTINGS_FILE = Path(clientport.settings.__file__)
VARIABLES = (
    "DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "SECURE_COOKIES",
    "EMAIL_HOST", "MEDIA_ROOT", "CLIENTPORT_VAR_DIR", "IMPORT_MAX_UPLOAD_BYTES", "PORT", "SITE_URL",
    "CLIENTPORT_TEST_DB",
)
A_REAL_KEY = "k" * 50


@pytest.fixture
def load_settings(monkeypatch):
    """Returns a function that evaluates the settings module under the given variables only."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)

    def load(**variables) -> dict:
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(SETTINGS_FILE))

    return load


def test_production_without_secret_key_refuses_to_start():
    env = {name: value for name, value in os.environ.items() if name not in VARIABLES}
    result = subprocess.run(
        [sys.executable, "-c", "import clientport.settings"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY" in result.stderr


def test_production_with_a_short_secret_key_refuses_to_start(load_settings):
    with pytest.raises(ImproperlyConfigured, match="32 characters"):
        load_settings(SECRET_KEY="too-short")


def test_debug_runs_without_secret_key_for_local_use(load_settings):
    settings = load_settings(DEBUG="1")
    assert settings["SECRET_KEY"]
    assert "localhost" in settings["ALLOWED_HOSTS"]


def test_production_allows_no_host_until_told(load_settings):
    assert load_settings(SECRET_KEY=A_REAL_KEY)["ALLOWED_HOSTS"] == []
    settings = load_settings(
        SECRET_KEY=A_REAL_KEY, ALLOWED_HOSTS="crm.example.com, www.example.com",
        CSRF_TRUSTED_ORIGINS="https://crm.example.com",
    )
    assert settings["ALLOWED_HOSTS"] == ["crm.example.com", "www.example.com"]
    assert settings["CSRF_TRUSTED_ORIGINS"] == ["https://crm.example.com"]


def test_postgres_url_selects_the_postgresql_engine(load_settings):
    database = load_settings(DEBUG="1", DATABASE_URL="postgres://crm:pw@db.example.com:5433/clientport")["DATABASES"][
        "default"
    ]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["HOST"], database["PORT"], database["USER"]) == (
        "clientport", "db.example.com", 5433, "crm",
    )
    assert "transaction_mode" not in database.get("OPTIONS", {})


def test_sqlite_default_lives_in_var_dir_with_wal_and_immediate_transactions(load_settings, tmp_path):
    settings = load_settings(DEBUG="1", CLIENTPORT_VAR_DIR=str(tmp_path))
    database = settings["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(database["NAME"]) == tmp_path / "clientport.sqlite3"
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]
    assert database["OPTIONS"]["timeout"] >= 20
    assert settings["MEDIA_ROOT"] == tmp_path / "media"


def test_production_cookies_are_secure_and_http_only(load_settings):
    settings = load_settings(SECRET_KEY=A_REAL_KEY)
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["CSRF_COOKIE_SECURE"] is True
    assert settings["SESSION_COOKIE_HTTPONLY"] is True
    assert settings["X_FRAME_OPTIONS"] == "DENY"


def test_local_mail_goes_to_files_and_smtp_when_a_host_is_set(load_settings, tmp_path):
    local = load_settings(DEBUG="1", CLIENTPORT_VAR_DIR=str(tmp_path))
    assert local["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert local["EMAIL_FILE_PATH"] == tmp_path / "mail"

    smtp = load_settings(DEBUG="1", EMAIL_HOST="smtp.example.com")
    assert smtp["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (smtp["EMAIL_HOST"], smtp["EMAIL_PORT"], smtp["EMAIL_USE_TLS"]) == ("smtp.example.com", 587, True)


def test_site_url_and_upload_limit_come_from_the_environment(load_settings):
    assert load_settings(DEBUG="1", PORT="9000")["SITE_URL"] == "http://localhost:9000"
    settings = load_settings(DEBUG="1", SITE_URL="https://crm.example.com", IMPORT_MAX_UPLOAD_BYTES="1000")
    assert settings["SITE_URL"] == "https://crm.example.com"
    assert settings["IMPORT_MAX_UPLOAD_BYTES"] == 1000


def readme_production_block() -> str:
    readme = (SETTINGS_FILE.parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## In production\n", 1)[1]
    return section.split("```sh\n", 1)[1].split("```", 1)[0]


def test_check_deploy_is_clean_with_the_production_variables_of_the_readme(tmp_path):
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; no deployment has it.
    left_out = {*VARIABLES, "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {name: value for name, value in os.environ.items()
           if name not in left_out and not name.startswith(("SECURE_", "BEHIND_"))}
    env["CLIENTPORT_VAR_DIR"] = str(tmp_path)
    script = readme_production_block() + f'\nexec "{sys.executable}" -m clientport check --deploy --fail-level WARNING\n'
    result = subprocess.run(["sh", "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
