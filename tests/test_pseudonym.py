"""Pseudonyms: stable for one key, unrelated under another; real waves need a real key."""

from __future__ import annotations

import pandas as pd
import pytest

from verkenning.anonymise.pseudonym import SAMPLE_KEY, SAMPLE_MARKER, PseudonymKeyError, pseudonym_key, respondent_keys

KEY_A = b"a" * 40
KEY_B = b"b" * 40


def keys(key: bytes, emails, tokens=None) -> list[str]:
    emails = pd.Series(emails, dtype="string")
    tokens = pd.Series(tokens if tokens is not None else [None] * len(emails), dtype="string")
    return respondent_keys(emails, tokens, pd.Series(range(len(emails))).astype("string"), key).tolist()


def test_same_person_same_key_in_every_wave_and_other_key_unrelated():
    wave_1 = keys(KEY_A, ["j.jansen@example.nl", "p.smit@example.nl"])
    wave_2 = keys(KEY_A, ["p.smit@example.nl", "j.jansen@example.nl"])
    assert wave_1 == wave_2[::-1]
    other = keys(KEY_B, ["j.jansen@example.nl", "p.smit@example.nl"])
    assert not set(other) & set(wave_1)
    assert all(len(k) == 64 for k in wave_1)


def test_token_is_used_where_there_is_no_email_and_never_equals_an_email_key():
    by_token = keys(KEY_A, [None], ["abc"])
    assert by_token == keys(KEY_A, [None], ["abc"])
    assert by_token != keys(KEY_A, ["abc"])


def test_real_wave_refuses_to_run_without_a_key(tmp_path):
    with pytest.raises(PseudonymKeyError, match="VERKENNING_PSEUDONYM_KEY is not set"):
        pseudonym_key(tmp_path, environ={})


def test_sample_wave_runs_with_the_marked_sample_key(tmp_path):
    (tmp_path / SAMPLE_MARKER).write_text("synthetic")
    key, is_sample = pseudonym_key(tmp_path, environ={})
    assert key == SAMPLE_KEY.encode() and is_sample


def test_sample_key_and_short_keys_are_refused_for_real_waves(tmp_path):
    with pytest.raises(PseudonymKeyError, match="public sample key"):
        pseudonym_key(tmp_path, environ={"VERKENNING_PSEUDONYM_KEY": SAMPLE_KEY})
    with pytest.raises(PseudonymKeyError, match="shorter than"):
        pseudonym_key(tmp_path, environ={"VERKENNING_PSEUDONYM_KEY": "too-short"})
    key, is_sample = pseudonym_key(tmp_path, environ={"VERKENNING_PSEUDONYM_KEY": "k" * 40})
    assert key == b"k" * 40 and not is_sample
