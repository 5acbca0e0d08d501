"""Email settings, read only from environment variables (and an optional git-ignored ``.env``).

The real environment wins over ``.env``. The password is held in a field that no repr, message or
record ever shows.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from analysis.delivery.addresses import address_only, load_addresses
from analysis.delivery.settings_error import SettingsError
from analysis.paths import WORK_ROOT

ENV_FILE = WORK_ROOT / ".env"
REQUIRED_FOR_SENDING = ("SMTP_HOST", "REPORT_FROM", "REPORT_TO")
DEFAULT_PORT = 587
IMPLICIT_TLS_PORT = 465
SECURITIES = ("starttls", "tls", "none")
AUTHS = ("password", "xoauth2")
OAUTH_SCOPE = "https://outlook.office365.com/.default"  # Exchange Online SMTP AUTH, client credentials
OAUTH_AUTHORITY = "https://login.microsoftonline.com/{tenant}"
DEFAULT_RETRIES = 3
DEFAULT_RETRY_DELAY = 5.0
DEFAULT_TIMEOUT = 30.0

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
_ENV_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")


@dataclass(frozen=True)
class OAuthSettings:
    """Where an XOAUTH2 access token comes from: Microsoft's identity platform, or a command.

    Secrets are excluded from ``repr`` so that they cannot leak through a log or a traceback.
    """

    tenant: str | None = None
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    cert_file: Path | None = None
    cert_thumbprint: str | None = None
    token_command: str | None = None


@dataclass(frozen=True)
class SmtpSettings:
    """Everything needed to send: the server, the login, the addresses and the retry policy.

    ``security`` is ``starttls``, ``tls`` (implicit TLS, port 465) or ``none``; ``auth`` is
    ``None`` (no login), ``password`` or ``xoauth2``. ``password`` is excluded from ``repr`` so
    that it cannot leak through a log or a traceback.
    """

    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    security: str = "starttls"
    auth: str | None = None
    oauth: OAuthSettings | None = None
    ca_file: Path | None = None
    retries: int = DEFAULT_RETRIES
    retry_delay: float = DEFAULT_RETRY_DELAY
    timeout: float = DEFAULT_TIMEOUT

    @property
    def login(self) -> bool:
        """Whether to authenticate."""
        return self.auth is not None

    @property
    def starttls(self) -> bool:
        return self.security == "starttls"

    @property
    def envelope_sender(self) -> str:
        """The bare address for MAIL FROM."""
        return address_only(self.sender)

    @property
    def envelope_recipients(self) -> tuple[str, ...]:
        """The bare addresses for RCPT TO, in the order of REPORT_TO (display names are for headers)."""
        return tuple(dict.fromkeys(address_only(r) for r in self.recipients))

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every secret of these settings, to be masked in anything printed."""
        values = (self.password, self.oauth.client_secret if self.oauth else None)
        return tuple(v for v in values if v)


def read_env_file(path: Path) -> dict[str, str]:
    """Parse a ``.env`` file: ``KEY=value`` lines, ``#`` comments, optional quotes and ``export``.

    Parameters
    ----------
    path : Path
        The file; a missing file gives an empty mapping.

    Returns
    -------
    dict[str, str]

    Raises
    ------
    SettingsError
        On a line that is not ``KEY=value`` (named by line number only: it may hold a secret).
    """
    if not path.is_file():
        return {}
    values = {}
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _ENV_LINE.match(line)
        if match is None:
            raise SettingsError(f"{path}: line {number} is not KEY=value")
        key, value = match.groups()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        else:
            value = re.sub(r"\s+#.*$", "", value)
        values[key] = value
    return values


def merged_environment(environ: Mapping[str, str] | None = None, env_file: Path | None = None) -> dict[str, str]:
    """The ``.env`` values overlaid by the real environment (the real environment wins).

    Raises
    ------
    SettingsError
        When ``.env`` has a malformed line.
    """
    environ = os.environ if environ is None else environ
    merged = read_env_file(ENV_FILE if env_file is None else env_file)
    merged.update(environ)
    return {key: value for key, value in merged.items() if value.strip() != ""}


def load_smtp_settings(env: Mapping[str, str]) -> SmtpSettings:
    """Settings for a real send.

    Parameters
    ----------
    env : Mapping[str, str]
        Usually :func:`merged_environment`.

    Returns
    -------
    SmtpSettings

    Raises
    ------
    SettingsError
        Naming every missing variable at once, or the one that is malformed.
    """
    missing = [name for name in REQUIRED_FOR_SENDING if name not in env]
    auth = _choice(
        env, "SMTP_AUTH", AUTHS, default="password" if "SMTP_USER" in env or "SMTP_PASSWORD" in env else None
    )
    if auth == "password" and ("SMTP_USER" in env) != ("SMTP_PASSWORD" in env):
        missing.append("SMTP_PASSWORD" if "SMTP_USER" in env else "SMTP_USER")
    if auth == "xoauth2":
        missing += _missing_oauth(env)
    if missing:
        raise SettingsError(
            "missing email settings: "
            + ", ".join(missing)
            + ". Set them in the environment or in the git-ignored .env file (see docs/email.md)."
        )
    port = _number(env, "SMTP_PORT", int, DEFAULT_PORT, low=1, high=65535)
    security = _security(env, port)
    host = env["SMTP_HOST"].strip()
    user = env.get("SMTP_USER")
    if auth is not None and security == "none" and not _is_loopback(host):
        raise SettingsError(
            "a login is set (SMTP_USER or SMTP_AUTH) but SMTP_SECURITY is none: the credentials would cross the "
            "network unencrypted. Use SMTP_SECURITY=starttls (port 587) or tls (port 465), or a relay that "
            "needs no login."
        )
    for name in ("SMTP_USER", "SMTP_PASSWORD"):
        if not env.get(name, "").isascii():  # smtplib sends the login as ASCII only
            raise SettingsError(
                f"{name} holds a character outside ASCII (such as £ or é), which the "
                "SMTP login cannot send; ask for one without, or for a relay that needs no login"
            )
    ca_file = Path(env["SMTP_CA_FILE"]) if "SMTP_CA_FILE" in env else None
    if ca_file is not None and not ca_file.is_file():
        raise SettingsError(f"SMTP_CA_FILE: {ca_file} is not a file")
    addresses = load_addresses(env)
    return SmtpSettings(
        host=host,
        port=port,
        sender=addresses.sender,
        recipients=addresses.recipients,
        user=user,
        password=env.get("SMTP_PASSWORD") if auth == "password" else None,
        security=security,
        auth=auth,
        oauth=_oauth(env) if auth == "xoauth2" else None,
        ca_file=ca_file,
        retries=_number(env, "SMTP_RETRIES", int, DEFAULT_RETRIES, low=0, high=20),
        retry_delay=_number(env, "SMTP_RETRY_DELAY", float, DEFAULT_RETRY_DELAY, low=0, high=3600),
        timeout=_number(env, "SMTP_TIMEOUT", float, DEFAULT_TIMEOUT, low=0.1, high=3600),
    )


def _security(env: Mapping[str, str], port: int) -> str:
    """SMTP_SECURITY, or the older SMTP_STARTTLS flag, or the port's usual security."""
    if "SMTP_SECURITY" in env:
        return str(_choice(env, "SMTP_SECURITY", SECURITIES, default=None))
    if "SMTP_STARTTLS" in env:
        return "starttls" if _flag(env, "SMTP_STARTTLS", default=True) else "none"
    return {DEFAULT_PORT: "starttls", IMPLICIT_TLS_PORT: "tls"}.get(port, "none")


def _missing_oauth(env: Mapping[str, str]) -> list[str]:
    """The XOAUTH2 settings that are missing: a token command, or a tenant, client and credential."""
    missing = [] if "SMTP_USER" in env else ["SMTP_USER (the mailbox to send as)"]
    if "SMTP_OAUTH_TOKEN_COMMAND" in env:
        return missing
    missing += [name for name in ("SMTP_OAUTH_TENANT", "SMTP_OAUTH_CLIENT_ID") if name not in env]
    has_certificate = "SMTP_OAUTH_CERT_FILE" in env and "SMTP_OAUTH_CERT_THUMBPRINT" in env
    if "SMTP_OAUTH_CLIENT_SECRET" not in env and not has_certificate:
        missing.append("SMTP_OAUTH_CLIENT_SECRET (or SMTP_OAUTH_CERT_FILE and SMTP_OAUTH_CERT_THUMBPRINT)")
    return missing


def _oauth(env: Mapping[str, str]) -> OAuthSettings:
    cert = Path(env["SMTP_OAUTH_CERT_FILE"]) if "SMTP_OAUTH_CERT_FILE" in env else None
    if cert is not None and not cert.is_file():
        raise SettingsError(f"SMTP_OAUTH_CERT_FILE: {cert} is not a file")
    return OAuthSettings(
        tenant=env.get("SMTP_OAUTH_TENANT"),
        client_id=env.get("SMTP_OAUTH_CLIENT_ID"),
        client_secret=env.get("SMTP_OAUTH_CLIENT_SECRET"),
        cert_file=cert,
        cert_thumbprint=env.get("SMTP_OAUTH_CERT_THUMBPRINT"),
        token_command=env.get("SMTP_OAUTH_TOKEN_COMMAND"),
    )


def _choice(env: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str | None) -> str | None:
    if name not in env:
        return default
    value = env[name].strip().lower()
    if value not in allowed:
        raise SettingsError(f"{name}: {env[name]!r} is not one of {', '.join(allowed)}")
    return value


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    if name not in env:
        return default
    text = env[name].strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise SettingsError(f"{name}: {env[name]!r} is not one of true/false, yes/no, 1/0")


def _number(env: Mapping[str, str], name: str, kind: type, default, low: float, high: float):
    if name not in env:
        return default
    try:
        value = kind(env[name].strip())
    except ValueError:
        raise SettingsError(f"{name}: {env[name]!r} is not a {'whole ' if kind is int else ''}number") from None
    if not low <= value <= high:
        raise SettingsError(f"{name}: {value} is outside {low}..{high}")
    return value


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
