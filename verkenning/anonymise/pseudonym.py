"""Stable pseudonyms: HMAC-SHA256 of a person's normalised e-mail address (or token) under a secret key.

The same person gets the same `respondent_key` in every wave under the same key, so waves can be
linked; without the key nobody can tell who is who, and another key gives unrelated values.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

import pandas as pd

PSEUDONYM_KEY_VARIABLE = "VERKENNING_PSEUDONYM_KEY"
# Only for the bundled synthetic sample: a wave folder holding this marker file may run without a real key.
SAMPLE_MARKER = "SAMPLE.md"
SAMPLE_KEY = "SAMPLE-KEY-not-secret-for-the-synthetic-sample-only"
MINIMUM_KEY_LENGTH = 32


class PseudonymKeyError(RuntimeError):
    """The pseudonymisation key is missing or unfit; the message says how to set it."""


def pseudonym_key(wave_dir: Path, environ: dict[str, str] | None = None) -> tuple[bytes, bool]:
    """The key for a wave and whether it is the sample key. Real waves refuse to run without a real key."""
    environ = os.environ if environ is None else environ
    key = environ.get(PSEUDONYM_KEY_VARIABLE, "")
    is_sample_wave = (Path(wave_dir) / SAMPLE_MARKER).is_file()
    if not key:
        if is_sample_wave:
            return SAMPLE_KEY.encode("utf-8"), True
        raise PseudonymKeyError(
            f"{PSEUDONYM_KEY_VARIABLE} is not set, and wave {Path(wave_dir).name} is not the synthetic sample. "
            f"Set it to a secret of at least {MINIMUM_KEY_LENGTH} characters (e.g. `python -c \"import secrets; "
            f"print(secrets.token_urlsafe(48))\"`), keep it out of the repository, and use the same key for every "
            "wave so that people can be linked across waves"
        )
    if key == SAMPLE_KEY and not is_sample_wave:
        raise PseudonymKeyError(f"{PSEUDONYM_KEY_VARIABLE} holds the public sample key: set a secret key for real waves")
    if len(key) < MINIMUM_KEY_LENGTH:
        raise PseudonymKeyError(f"{PSEUDONYM_KEY_VARIABLE} is shorter than {MINIMUM_KEY_LENGTH} characters: use a longer secret")
    return key.encode("utf-8"), key == SAMPLE_KEY


def _hmac(key: bytes, material: str) -> str:
    return hmac.new(key, material.encode("utf-8"), hashlib.sha256).hexdigest()


def respondent_keys(email: pd.Series, token: pd.Series, fallback: pd.Series, key: bytes) -> pd.Series:
    """One pseudonym per response: from the normalised e-mail address, else the token, else `fallback`
    (e.g. wave and response id, for an anonymous response that cannot be linked to anything)."""
    material = ("email:" + email).fillna("token:" + token).fillna("response:" + fallback.astype("string"))
    return material.map(lambda text: _hmac(key, text)).astype("string")
