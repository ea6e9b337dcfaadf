"""The privacy evaluation: the gold-file parser and the scorer on tiny inputs, and the targets on the real gold set."""

from __future__ import annotations

import re

import pytest
from stdnum import iban
from stdnum.nl import bsn

from pipelines import eval_privacy
from verkenning.anonymise import evaluation as ev
from verkenning.anonymise.evaluation import (
    GOLD_FILE,
    KINDS,
    GoldFormatError,
    KindScore,
    evaluate,
    format_report,
    load_gold,
    parse_gold,
)


def spans_of(*pieces: tuple[str, str]):
    """A fake `find` that redacts, in every answer, each given substring with the given placeholder."""

    def find(answer):
        found = []
        for piece, placeholder in pieces:
            for match in re.finditer(re.escape(piece), answer.text):
                found.append((match.start(), match.end(), placeholder))
        return found

    return find


def nothing(answer):
    return []


# --- Parsing ----------------------------------------------------------------------------------------------------


def test_parse_text_offsets_directives_and_comments():
    content = (
        "# a comment\n"
        "\n"
        "Ik werk bij [[organisation|Stichting Koekeloere]] met [[person|Jan de Vries]].\n"
        "\n\n"
        "@lang en\n"
        "@people Els Mol; Piet Hein\n"
        "@organisations Museum X ;Stichting Y\n"
        "Ask [[person|Els]].\n"
        "# a comment inside an answer\n"
        "Mail [[email|els@x.nl]]\n"
        "\n"
        "Geen namen hier.\n"
    )
    first, second, third = parse_gold(content, "gold.txt")
    assert first.text == "Ik werk bij Stichting Koekeloere met Jan de Vries."
    assert first.language == "nl" and first.people == () and first.organisations == ()
    assert [(g.kind, first.text[g.start : g.end], g.line) for g in first.identifiers] == [
        ("organisation", "Stichting Koekeloere", 3),
        ("person", "Jan de Vries", 3),
    ]
    assert second.text == "Ask Els.\nMail els@x.nl"
    assert second.language == "en"
    assert second.people == ("Els Mol", "Piet Hein")
    assert second.organisations == ("Museum X", "Stichting Y")
    assert [(g.text, second.text[g.start : g.end], g.line) for g in second.identifiers] == [
        ("Els", "Els", 9),
        ("els@x.nl", "els@x.nl", 11),
    ]
    assert second.line == 9 and second.line_of(second.text.index("els@")) == 11
    assert third.clean and third.number == 3 and third.line == 13


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ("Ik werk bij [[organisation|Museum X.", "never closed"),
        ("Ik werk bij [[organisatie|Museum X]].", "unknown kind 'organisatie'"),
        ("Ik werk bij [[Museum X]].", "expected [[kind|text]]"),
        ("Ik werk bij Museum X]].", "without an opening"),
        ("Ik werk bij [[person| Jan]].", "empty or starts/ends with a space"),
        ("Ik werk bij [[person|[[Jan]]]].", "nested"),
        ("@lang nederlands", "@lang 'nederlands'"),
    ],
)
def test_malformed_markup_names_file_and_line(bad_line, message):
    content = "# header\n\nEen antwoord over [[person|Anna]].\n\n# the next line is line 6\n" + bad_line + "\nMeer.\n"
    with pytest.raises(GoldFormatError) as raised:
        parse_gold(content, "eval/gold/answers.txt")
    assert str(raised.value).startswith("eval/gold/answers.txt:6: ")
    assert message in str(raised.value)


def test_directive_after_text_and_directives_without_text_are_errors():
    with pytest.raises(GoldFormatError, match=r"^g:2: @lang after the text"):
        parse_gold("Tekst.\n@lang en\n", "g")
    with pytest.raises(GoldFormatError, match=r"^g:1: directives without an answer"):
        parse_gold("@lang en\n\nTekst.\n", "g")


def test_load_gold_reads_a_file(tmp_path):
    path = tmp_path / "answers.txt"
    path.write_text("Bel [[phone|06-12345678]].\n", encoding="utf-8")
    (answer,) = load_gold(path)
    assert answer.text == "Bel 06-12345678." and answer.identifiers[0].kind == "phone"
    path.write_text("Bel [[telefoon|06-12345678]].\n", encoding="utf-8")
    with pytest.raises(GoldFormatError, match=re.escape(f"{path}:1:")):
        load_gold(path)


# --- Scoring ----------------------------------------------------------------------------------------------------

ORGANISATION = parse_gold("Ik werk bij [[organisation|Stichting Koekeloere]] in de stad.\n")


def test_a_kept_unique_part_of_an_organisation_is_a_miss():
    result = evaluate(ORGANISATION, spans_of(("Stichting", "[ORGANISATIE]")))
    assert result.scores["organisation"].caught == 0
    (miss,) = result.misses
    assert (miss.answer, miss.line, miss.kind, miss.text, miss.kept) == (
        1, 1, "organisation", "Stichting Koekeloere", "Koekeloere"
    )  # fmt: skip


def test_a_kept_type_word_is_not_a_miss():
    result = evaluate(ORGANISATION, spans_of(("Koekeloere", "[ORGANISATIE]")))
    assert result.scores["organisation"].caught == 1 and result.scores["organisation"].recall == 1.0
    assert result.misses == ()


def test_a_partly_covered_word_is_a_miss_and_particles_may_stay():
    answers = parse_gold("Vraag het aan [[person|Jan de Vries]] of aan [[person|Fatima el Amrani]].\n")
    find = spans_of(("Jan", "[PERSOON]"), ("Vri", "[PERSOON]"), ("Fatima", "[PERSOON]"), ("Amrani", "[PERSOON]"))
    result = evaluate(answers, find)
    assert result.scores["person"].caught == 1
    assert [(m.text, m.kept) for m in result.misses] == [("Jan de Vries", "Vries")]


def test_precision_counts_spans_by_their_placeholder_and_any_gold_overlap_is_a_true_positive():
    answers = parse_gold(
        "[[person|Bakker]] werkt bij [[organisation|Museum Vlasakker]] in [[location|Sneek]].\n"
        "\n"
        "De Koning opende de tentoonstelling.\n"
    )
    find = spans_of(
        ("Bakker", "[PERSOON]"),  # true positive, person
        ("Vlasakker", "[PERSOON]"),  # an organisation under another label: a true positive for person
        ("Sneek", "[LOCATIE]"),  # true positive, location
        ("Koning", "[PERSOON]"),  # false positive in a clean answer
        ("tentoonstelling", "[GEHEIM]"),  # unknown placeholder: other
    )
    result = evaluate(answers, find)
    person, organisation = result.scores["person"], result.scores["organisation"]
    assert (person.true_positives, person.false_positives, person.precision) == (2, 1, pytest.approx(2 / 3))
    assert (organisation.caught, organisation.other_label, organisation.precision) == (1, 1, None)
    assert result.scores["location"].precision == 1.0
    assert result.scores["other"].false_positives == 1
    assert [(f.answer, f.placeholder, f.text, f.clean_answer) for f in result.false_positives] == [
        (2, "[PERSOON]", "Koning", True),
        (2, "[GEHEIM]", "tentoonstelling", True),
    ]
    assert result.recall == 1.0  # location has no recall target and is left out


def test_an_unredacted_place_is_no_miss():
    answers = parse_gold("[[person|Bakker]] woont in [[location|Sneek]].\n")
    result = evaluate(answers, nothing)
    assert [m.kind for m in result.misses] == ["person"]
    assert result.scores["location"].recall == 0.0 and result.recall == 0.0


def test_url_and_location_placeholders_stand_for_two_kinds():
    answers = parse_gold("Volg [[handle|@museumx]] en kom naar [[street_address|Kerkstraat 12-a]].\n")
    result = evaluate(answers, spans_of(("@museumx", "[URL]"), ("Kerkstraat 12-a", "[LOCATIE]")))
    assert result.scores["handle"].true_positives == 1 and result.scores["handle"].other_label == 0
    assert result.scores["street_address"].true_positives == 1 and result.scores["street_address"].other_label == 0
    assert result.scores["url"].true_positives == 0 and result.scores["location"].true_positives == 0


def test_over_redaction_is_the_share_of_words_of_clean_answers_touched_by_a_span():
    answers = parse_gold(
        "Ik gebruik ChatGPT en DeepL elke week.\n"  # 7 words, 2 touched (one only partly)
        "\n"
        "Mijn collega [[person|Sanne]] vertaalt.\n"  # not clean: its words do not count
        "\n"
        "Nee.\n"  # 1 word, untouched
    )
    result = evaluate(answers, spans_of(("ChatGPT", "[ORGANISATIE]"), ("Dee", "[PERSOON]"), ("Sanne", "[PERSOON]")))
    assert (result.clean_answers, result.clean_words, result.over_redacted_words) == (2, 8, 2)
    assert result.over_redaction == pytest.approx(0.25)


def test_recall_precision_and_f2():
    score = KindScore("person", gold=10, caught=8, true_positives=6, false_positives=2)
    assert score.recall == 0.8 and score.precision == 0.75
    assert score.f2 == pytest.approx(5 * 0.75 * 0.8 / (4 * 0.75 + 0.8))
    assert KindScore("bsn", gold=3).f2 == 0.0  # nothing predicted, nothing caught
    assert KindScore("bsn").recall is None and KindScore("bsn").f2 is None


def test_spans_may_be_objects_with_start_end_placeholder():
    class Span:
        def __init__(self, start, end, placeholder):
            self.start, self.end, self.placeholder = start, end, placeholder

    result = evaluate(ORGANISATION, lambda answer: [Span(12, 32, "[ORGANISATIE]")])
    assert result.scores["organisation"].caught == 1


def test_the_default_finder_builds_one_deidentifier_per_context(monkeypatch):
    import verkenning.anonymise.text as text

    built = []

    class FakeDeidentifier:
        def __init__(self, organisations=(), people=()):
            built.append((tuple(organisations), tuple(people)))

        def find(self, value):
            return []

    monkeypatch.setattr(text, "TextDeidentifier", FakeDeidentifier)
    answers = parse_gold(
        "Een.\n\nTwee.\n\n@people Jan Mol\nDrie [[person|Jan]].\n\n@people Jan Mol\nVier.\n\n"
        "@organisations Museum X\n@people Jan Mol\nVijf.\n"
    )
    evaluate(answers)
    assert built == [((), ()), ((), ("Jan Mol",)), (("Museum X",), ("Jan Mol",))]


def test_the_report_has_a_table_per_kind_over_redaction_and_limited_listings():
    answers = parse_gold("\n\n".join(f"Bel [[person|Persoon{i}]] op [[phone|06-1234567{i}]]." for i in range(5)))
    result = evaluate(answers, spans_of(("Persoon", "[PERSOON]")))
    report = format_report(result, limit=2)
    assert re.search(r"^person\s+5\s+0\s+0\.000\s+1\.000\s+0\.000\s+0$", report, re.M)
    assert re.search(r"^phone\s+5\s+0\s+0\.000\s+-\s+0\.000\s+0$", report, re.M)
    assert "Over-redaction: 0.00%" in report
    assert "Misses (10):" in report and "... 8 more (--all shows every one)" in report
    assert "False positives (0):" in report
    assert "more" not in format_report(result, limit=None)


def test_the_command_prints_the_report_and_exits_0(tmp_path, capsys, monkeypatch):
    gold = tmp_path / "gold.txt"
    gold.write_text("Mail [[email|a@b.nl]].\n\nGeen namen.\n", encoding="utf-8")
    monkeypatch.setattr(eval_privacy, "evaluate", lambda answers, find=None: evaluate(answers, nothing))
    assert eval_privacy.main(["--gold", str(gold), "--all"]) == 0
    out = capsys.readouterr().out
    assert "2 answers, 1 of them clean" in out and "'a@b.nl'" in out


# --- The gold set itself ----------------------------------------------------------------------------------------


def test_the_gold_set_loads_and_covers_every_kind():
    answers = load_gold(GOLD_FILE)
    assert len(answers) >= 280
    assert sum(a.clean for a in answers) >= 90
    assert sum(a.language == "en" for a in answers) >= 30 and sum(a.language == "de" for a in answers) >= 10
    kinds = {g.kind for a in answers for g in a.identifiers}
    assert kinds == set(KINDS)


def test_the_gold_ibans_and_bsns_are_valid():
    answers = load_gold(GOLD_FILE)
    for identifier in (g for a in answers for g in a.identifiers):
        digits = re.sub(r"[\s.\-]", "", identifier.text)
        if identifier.kind == "iban":
            assert iban.is_valid(digits), identifier
        if identifier.kind == "bsn":
            assert bsn.is_valid(digits), identifier


# --- Targets on the real gold set with the real TextDeidentifier ------------------------------------------------

@pytest.fixture(scope="module")
def real_evaluation() -> ev.Evaluation:
    """The gold set scored once with the real de-identifier (building it loads deduce: about 10 s)."""
    return evaluate(load_gold(GOLD_FILE))


def misses_of(result: ev.Evaluation, kind: str) -> list[str]:
    return [f"#{m.answer} line {m.line}: {m.text!r}" for m in result.misses if m.kind == kind]


@pytest.mark.parametrize(
    "kind", ["email", "phone", "iban", "bsn", "postcode", "url", "handle", "street_address", "date_of_birth"]
)
def test_every_structured_identifier_is_caught(real_evaluation, kind):
    assert real_evaluation.scores[kind].recall == 1.0, misses_of(real_evaluation, kind)


@pytest.mark.parametrize(("kind", "target"), [("person", 0.98), ("organisation", 0.98), ("age", 0.90)])
def test_names_and_ages_are_caught(real_evaluation, kind, target):
    assert real_evaluation.scores[kind].recall >= target, misses_of(real_evaluation, kind)


def test_clean_answers_are_hardly_redacted(real_evaluation):
    found = real_evaluation.false_positives
    clean = [f"#{f.answer} line {f.line}: {f.placeholder} {f.text!r}" for f in found if f.clean_answer]
    assert real_evaluation.over_redaction <= 0.02, clean


def test_plain_deduce_is_scored_on_the_same_gold_set_and_misses_what_the_project_catches(real_evaluation, capsys):
    # the yardstick beside the benchmark's baseline script: plain deduce, its tags read as the project's placeholders
    find = ev.plain_deduce_finder()
    answer = parse_gold("Bel [[person|Jan Jansen]] op [[phone|06-12345678]].")[0]
    spans = find(answer)
    assert any("Jan Jansen" in answer.text[start:end] and placeholder == "[PERSOON]" for start, end, placeholder in spans)
    assert any(answer.text[start:end] == "06-12345678" and placeholder == "[TELEFOON]" for start, end, placeholder in spans)
    plain = evaluate(load_gold(GOLD_FILE), find)
    assert plain.scores["person"].caught > 0  # a real score, not an empty one
    for kind in ("organisation", "iban", "email"):  # what deduce alone does not know (a wave's organisations, IBANs, obfuscated addresses)
        assert plain.scores[kind].recall < real_evaluation.scores[kind].recall
    assert eval_privacy.main(["--plain-deduce"]) == 0
    assert "PLAIN DEDUCE" in capsys.readouterr().out
