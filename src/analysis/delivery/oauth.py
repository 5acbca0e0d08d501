"""An OAuth 2.0 access token for SMTP ``AUTH XOAUTH2``, and the SASL string that carries it.

Microsoft 365 no longer takes a password over SMTP AUTH: a council's app registration gets a
token from Microsoft's identity platform by the client-credentials flow (MSAL does it), with the
tenant, client id and a secret or certificate from environment variables. Other providers: a
command that prints a token (``SMTP_OAUTH_TOKEN_COMMAND``). A token is never printed or logged.
"""

from __future__ import annotations

import shlex
import subprocess

from analysis.delivery.settings import OAUTH_AUTHORITY, OAUTH_SCOPE, OAuthSettings

TOKEN_COMMAND_TIMEOUT = 60


class TokenUnavailable(Exception):
    """No access token could be had; the message says why, never with a secret."""


def access_token(oauth: OAuthSettings) -> str:
    """A fresh access token from ``SMTP_OAUTH_TOKEN_COMMAND``, or else from Microsoft (MSAL).

    Raises
    ------
    TokenUnavailable
        When the command fails or prints nothing, or Microsoft refuses the client's credentials.
    """
    if oauth.token_command:
        return _from_command(oauth.token_command)
    return _from_microsoft(oauth)


def xoauth2_string(user: str, token: str) -> str:
    """The SASL XOAUTH2 initial response (before base64): user, bearer token, two ^A ends."""
    return f"user={user}\x01auth=Bearer {token}\x01\x01"


def _from_command(command: str) -> str:
    try:
        done = subprocess.run(shlex.split(command), capture_output=True, text=True, timeout=TOKEN_COMMAND_TIMEOUT)
    except (OSError, ValueError) as exc:
        raise TokenUnavailable(f"SMTP_OAUTH_TOKEN_COMMAND could not be run ({exc})") from None
    except subprocess.TimeoutExpired:
        raise TokenUnavailable(f"SMTP_OAUTH_TOKEN_COMMAND did not finish in {TOKEN_COMMAND_TIMEOUT} s") from None
    if done.returncode != 0:
        said = " ".join(done.stderr.split())[:200]
        raise TokenUnavailable(
            f"SMTP_OAUTH_TOKEN_COMMAND exited with status {done.returncode}" + (f": {said}" if said else "")
        )
    token = done.stdout.strip()
    if not token or any(c.isspace() for c in token):
        raise TokenUnavailable("SMTP_OAUTH_TOKEN_COMMAND printed no token (expected one line holding the token)")
    return token


def _from_microsoft(oauth: OAuthSettings) -> str:
    import msal

    if oauth.client_secret:
        credential: str | dict[str, str | None] = oauth.client_secret
    elif oauth.cert_file is None:
        raise TokenUnavailable("SMTP_OAUTH_CLIENT_SECRET or SMTP_OAUTH_CERT_FILE is needed for a token")
    else:
        credential = {"private_key": oauth.cert_file.read_text(encoding="utf-8"), "thumbprint": oauth.cert_thumbprint}
    try:
        app = msal.ConfidentialClientApplication(
            oauth.client_id, authority=OAUTH_AUTHORITY.format(tenant=oauth.tenant), client_credential=credential
        )
        result = app.acquire_token_for_client(scopes=[OAUTH_SCOPE])
    except Exception as exc:  # noqa: BLE001 - network or configuration: one sentence, no secret
        raise TokenUnavailable(
            f"Microsoft's identity platform could not be asked for a token for tenant "
            f"{oauth.tenant!r} ({type(exc).__name__})"
        ) from None
    if "access_token" not in result:
        reason = " ".join(str(result.get("error_description") or result.get("error") or "no reason").split())
        raise TokenUnavailable(
            f"Microsoft's identity platform gave no token for client {oauth.client_id!r} in "
            f"tenant {oauth.tenant!r}: {reason[:300]}"
        )
    return result["access_token"]
