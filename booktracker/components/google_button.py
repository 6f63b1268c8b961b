""" "Continue with Google": Google Identity Services' button (the steps after
it are in pages/google_signin.py). Nothing renders when GOOGLE_CLIENT_ID is unset.

Google's script (GOOGLE_SCRIPT_URL, allowed by the CSP on these pages only:
booktracker/asgi.py GOOGLE_PAGES) calls back with an ID token; the callback
puts it into a hidden input and submits that form, so the token reaches the
server as an ordinary form event (pages/google_signin.py). The client id is
compiled into the page, so a static export gets it at build time.
"""

from __future__ import annotations

import json

import reflex as rx

from booktracker.settings import settings


def _start_script(button_id: str, input_id: str, text: str) -> str:
    """Load Google's script once, then draw its button; the answer submits the hidden form."""
    client_id = json.dumps(settings.google_client_id)
    src = json.dumps(settings.google_script_url)
    return f"""
(() => {{
  if (!document.getElementById("gsi-client")) {{
    const script = document.createElement("script");
    script.id = "gsi-client"; script.src = {src}; script.async = true;
    document.head.appendChild(script);
  }}
  const draw = (tries) => {{
    const target = document.getElementById({json.dumps(button_id)});
    if (!target) return;
    if (!(window.google && google.accounts && google.accounts.id)) {{
      if (tries < 200) setTimeout(() => draw(tries + 1), 50);
      return;
    }}
    google.accounts.id.initialize({{
      client_id: {client_id},
      callback: (answer) => {{
        const input = document.getElementById({json.dumps(input_id)});
        input.value = answer.credential;
        input.form.requestSubmit();
      }},
    }});
    google.accounts.id.renderButton(target, {{ theme: "outline", size: "large", text: {json.dumps(text)} }});
  }};
  draw(0);
}})();
"""


def google_button(on_credential, *, prefix: str = "google", text: str = "continue_with") -> rx.Component:
    """Google's button; ``on_credential`` gets ``{"credential": <ID token>}``."""
    if not settings.google_client_id:
        return rx.fragment()
    button_id, input_id = f"{prefix}-button", f"{prefix}-credential"
    # Drawn once the page is hydrated: a sign-in answered while Reflex is
    # still hydrating the page would not reach localStorage (Reflex skips
    # client storage in a delta sent before hydration ends), and the reader
    # would be signed out again by the next reload (seen in the browser journey).
    return rx.cond(rx.State.is_hydrated, _button(on_credential, button_id, input_id, text), rx.box(min_height="44px"))


def _button(on_credential, button_id: str, input_id: str, text: str) -> rx.Component:
    return rx.box(
        rx.box(id=button_id, min_height="44px"),
        rx.form(
            rx.el.input(type="hidden", name="credential", id=input_id),
            on_submit=on_credential,
            reset_on_submit=True,
            id=f"{button_id}-form",
        ),
        on_mount=rx.call_script(_start_script(button_id, input_id, text)),
        width="100%",
    )
