"""Text that readers type: visible names, no bidi controls, one-emoji emotions.

Two kinds of text, two rules for the bidi embedding/override/isolate controls
(U+202A–U+202E, U+2066–U+2069), which reorder the characters that follow them
— even past the end of the field, into the page around it:
- identity fields (name, username) refuse them: a name is short, shown beside
  everyone else's content, and an override in it is almost always spoofing
  ("moc.elgoog" shown as "google.com"); silently changing what someone chose
  as their name would surprise them.
- long text (bio, posts, quotes, comments) has them stripped: they arrive by
  pasting from RTL documents, refusing would throw away a long piece of
  writing over an invisible character, and without them the text still reads
  right (each letter keeps its own direction under the bidi algorithm).
The bidi *marks* (LRM, RLM, ALM) do not reorder beyond themselves and stay.
"""

from __future__ import annotations

import regex

from booktracker.errors import InvalidInput

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_STRIP_BIDI = str.maketrans("", "", BIDI_CONTROLS)

# Characters that draw nothing: spaces, controls, format characters (zero-width
# space/joiners, tags…), marks with no base, and the "default ignorable" code
# points, which include the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0)
# that are letters by category yet blank; U+2800 is the blank Braille pattern.
_INVISIBLE = regex.compile(r"[\s\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}\p{Mn}\p{Me}\p{Cn}\p{Co}\u2800]")

# One emoji, as UTS #51 spells its sequences: a flag (two regional
# indicators), a keycap, or a pictograph with optional presentation selector,
# skin tone and tag sequence (subdivision flags); ZWJ joins such pieces into
# one (families, professions).
_EMOJI_PIECE = (
    r"(?:\p{Regional_Indicator}{2}"
    r"|[0-9#*]\uFE0F?\u20E3"
    r"|\p{Extended_Pictographic}[\uFE0E\uFE0F]?\p{Emoji_Modifier}?(?:[\U000E0020-\U000E007E]+\U000E007F)?)"
)
_ONE_EMOJI = regex.compile(rf"{_EMOJI_PIECE}(?:\u200D{_EMOJI_PIECE})*")


def has_visible(text: str) -> bool:
    return any(not _INVISIBLE.match(char) for char in text)


def has_bidi_controls(text: str) -> bool:
    return any(char in BIDI_CONTROLS for char in text)


def strip_bidi_controls(text: str) -> str:
    return text.translate(_STRIP_BIDI)


def check_identity(text: str, *, field: str, label: str) -> None:
    """Refuse a name or username that shows nothing or carries bidi controls."""
    if has_bidi_controls(text):
        raise InvalidInput(f"{label} cannot contain text-direction control characters.", field=field)
    if not has_visible(text):
        raise InvalidInput(f"{label} needs at least one visible character.", field=field)


def is_one_emoji(text: str) -> bool:
    """Exactly one emoji grapheme cluster (👍, 👍🏽, 👨‍👩‍👧, 🇫🇷, 1️⃣)."""
    return bool(_ONE_EMOJI.fullmatch(text)) and len(regex.findall(r"\X", text)) == 1
