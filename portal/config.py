"""Configuration: defaults → instance/config.py → PORTAL_* environment → test mapping."""
import json
import os
import secrets
from datetime import timedelta
from pathlib import Path


class Defaults:
    ENV_NAME = "production"  # "development", "testing" or "production"
    SECRET_KEY = None
    SQLALCHEMY_DATABASE_URI = None  # filled in from DATABASE_URL or instance/ SQLite
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    WTF_CSRF_TIME_LIMIT = None  # token lives as long as the session
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024  # uploads above this answer 413
    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
    LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}
    INSTANSI_NAME = "Pemerintah Kabupaten Contoh"
    INSTANSI_PLACE = ""  # where documents are signed ("Sukamaju"); empty: from INSTANSI_NAME
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = False
    LOGIN_LIMIT = "5 per minute"
    PASSWORD_HASH_METHOD = "scrypt"
    STORAGE_ROOT = None  # where uploaded files live; defaults to instance/storage
    PER_PAGE = 25
    # Performance plans. New years get sub-periods of this length ("bulanan" or "triwulanan").
    SUBPERIOD_LENGTH = "bulanan"
    # Laporan harian (daily activity log), optional per instansi.
    DAILY_LOG_ENABLED = True
    # Bukti dukung uploads: the largest accepted file, in bytes.
    EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
    # Evaluation: days after finalisation during which the pegawai may file a keberatan;
    # whether the penilai sees peer (360) input with the colleagues' names or anonymised;
    # whether the optional numeric nilai kinerja (PermenPANRB 8/2021) is shown beside the kuadran.
    OBJECTION_DAYS = 14
    PEER_INPUT_NAMED = False
    NUMERIC_SCORES_ENABLED = False
    # Public IKM form: responses accepted per address and unit (flask-limiter syntax).
    IKM_RATE_LIMIT = "10 per hour;30 per day"
    # Base URL printed on the IKM QR posters; empty: MAIL_SITE_URL, else the request's host.
    PUBLIC_BASE_URL = ""
    HSTS = False  # set behind HTTPS
    # Background jobs (huey). REDIS_URL set: the queue lives in Redis (several app processes and
    # workers); otherwise in the SQLite file JOBS_SQLITE_PATH (default instance/jobs.db).
    # JOBS_IMMEDIATE runs each job synchronously in the request that queues it (unset: when TESTING).
    REDIS_URL = None
    JOBS_SQLITE_PATH = None
    JOBS_IMMEDIATE = None
    JOBS_WORKERS = 2  # worker threads of `flask jobs worker`
    # E-mail. Without MAIL_SERVER (development) e-mails are stored, never sent: a superadmin reads
    # them at /notifikasi/email. With a server they are queued; `flask notifications send-pending`
    # sends them.
    MAIL_SERVER = ""
    MAIL_PORT = 587
    MAIL_USE_TLS = True  # STARTTLS
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    MAIL_FROM = "Capaian <noreply@localhost>"
    MAIL_SITE_URL = ""  # e.g. https://capaian.example.go.id, for links in e-mails; empty: the request's host


TRUE = {"1", "true", "yes", "on"}


def _coerce(value: str, current):
    """Environment values are strings; coerce them to the type of the default."""
    if isinstance(current, bool):
        return value.strip().lower() in TRUE
    if isinstance(current, int):
        return int(value)
    if isinstance(current, (dict, list)):
        return json.loads(value)
    return value


def load_config(app, overrides=None):
    """Fill app.config in the documented order and check it is safe to run."""
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    for key, value in os.environ.items():
        if key.startswith("PORTAL_"):
            name = key[len("PORTAL_"):]
            app.config[name] = _coerce(value, app.config.get(name))
    if os.environ.get("DATABASE_URL") and not os.environ.get("PORTAL_SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if overrides:
        app.config.update(overrides)

    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'capaian.db'}"
    if not app.config["STORAGE_ROOT"]:
        app.config["STORAGE_ROOT"] = str(instance / "storage")
    env = app.config["ENV_NAME"]
    if env in ("development", "testing"):
        app.config["SESSION_COOKIE_SECURE"] = False
    if not app.config["SECRET_KEY"]:
        if env == "development":
            app.config["SECRET_KEY"] = _development_secret(instance)
        elif env == "testing":
            app.config["SECRET_KEY"] = secrets.token_hex(32)
        else:
            raise RuntimeError(
                "SECRET_KEY is not set. Set PORTAL_SECRET_KEY (or SECRET_KEY in "
                "instance/config.py) to a long random value before running in production."
            )
    if env == "production" and len(app.config["SECRET_KEY"]) < 32:
        raise RuntimeError("SECRET_KEY is too short for production: use at least 32 characters.")
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("mysql"):
        # MariaDB closes idle connections; recycle before its wait_timeout.
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            **app.config["SQLALCHEMY_ENGINE_OPTIONS"], "pool_recycle": 280}


def _development_secret(instance: Path) -> str:
    """Development keeps a generated key in instance/ so sessions survive restarts."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
