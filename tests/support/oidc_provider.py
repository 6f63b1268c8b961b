"""A local OpenID Connect provider for Google sign-in tests: a discovery
document and a JWKS over real HTTP, and ID tokens signed with its RSA key --
or, on request, with the wrong audience, expired, signed by another key, or
with an unverified email. services/google_signin.py verifies them exactly as
it verifies Google's (GOOGLE_ISSUER points here)."""

from __future__ import annotations

import json
import time
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.support.local_server import LocalJsonServer, Typed

CLIENT_ID = "trackmyread-test.apps.googleusercontent.com"

# Browser tests: Google Identity Services' script cannot be fetched here, so
# GOOGLE_SCRIPT_URL points at this stand-in with the same two calls the app
# uses (initialize, renderButton). Its button asks this provider for a signed
# ID token and hands it to the app's callback, as Google's popup would; the
# app then verifies it exactly as a real one.
GSI_STAND_IN = """
window.google = { accounts: { id: {
  initialize(config) { this.config = config; },
  renderButton(target) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "Continue with Google";
    button.className = "gsi-stand-in";
    button.onclick = async () => {
      const answer = await (await fetch("__BASE__/test/id-token")).json();
      this.config.callback({ credential: answer.credential, select_by: "btn" });
    };
    target.replaceChildren(button);
  },
} } };
"""


def _rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class OidcProvider(LocalJsonServer):
    def __init__(self, *, client_id: str = CLIENT_ID):
        self.client_id = client_id
        self.key = _rsa_key()
        self.kid = "test-key-1"
        self.requests: list[str] = []
        # Who signs in through the browser stand-in (``/test/id-token``): id_token()'s arguments.
        self.identity: dict[str, Any] = {}
        super().__init__(self._respond)

    def _respond(self, method: str, path: str, headers: dict, body: bytes) -> tuple[int, object]:
        self.requests.append(path)
        if path == "/.well-known/openid-configuration":
            return 200, {
                "issuer": self.base,
                "jwks_uri": f"{self.base}/jwks",
                "id_token_signing_alg_values_supported": ["RS256"],
            }
        if path == "/jwks":
            public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
            return 200, {"keys": [{**public, "kid": self.kid, "use": "sig", "alg": "RS256"}]}
        if path == "/gsi/client":
            return 200, Typed(GSI_STAND_IN.replace("__BASE__", self.base).encode(), "text/javascript")
        if path == "/test/id-token":
            return 200, {"credential": self.id_token(**self.identity)}
        return 404, {"error": "not found"}

    def rotate_key(self) -> None:
        """A new signing key under a new kid (providers rotate theirs)."""
        self.key, self.kid = _rsa_key(), f"test-key-{time.time_ns()}"

    def id_token(
        self,
        *,
        sub: str = "google-sub-1",
        email: str = "ann@gmail.com",
        name: str = "Ann Google",
        email_verified: Any = True,
        audience: str | None = None,
        issuer: str | None = None,
        expires_in: int = 600,
        forged: bool = False,
    ) -> str:
        now = int(time.time())
        claims = {
            "iss": issuer or self.base,
            "aud": audience or self.client_id,
            "sub": sub,
            "email": email,
            "email_verified": email_verified,
            "name": name,
            "iat": now - 5,
            "exp": now + expires_in,
        }
        # A forged token: same kid, signed with a key the provider never published.
        key = _rsa_key() if forged else self.key
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.kid})
