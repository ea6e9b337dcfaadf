"""The codebook is validated at load, and everything question-related is derived from it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from schemas.codebook import PROJECT_CODEBOOK, CodebookError, codebook_for_wave, load_codebook

SHARED_QUESTIONNAIRE = Path(__file__).resolve().parents[2] / "shared" / "survey" / "questionnaire.yaml"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "questionnaire.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _edited(tmp_path: Path, edit) -> Path:
    document = yaml.safe_load(PROJECT_CODEBOOK.read_text(encoding="utf-8"))
    edit(document)
    return _write(tmp_path, yaml.safe_dump(document, allow_unicode=True, sort_keys=False))


def test_project_codebook_loads_with_every_question_of_the_questionnaire():
    codebook = load_codebook()
    raw = yaml.safe_load(PROJECT_CODEBOOK.read_text(encoding="utf-8"))
    assert [q.code for q in codebook.questions] == [q["code"] for q in raw["questions"]]
    assert codebook.wave == "2024-01"
    assert str(codebook.fielded_from) == "2023-12-04"


@pytest.mark.skipif(not SHARED_QUESTIONNAIRE.is_file(), reason="shared/ is not beside this checkout")
def test_project_codebook_has_the_codes_of_the_shared_questionnaire():
    shared = yaml.safe_load(SHARED_QUESTIONNAIRE.read_text(encoding="utf-8"))
    ours = yaml.safe_load(PROJECT_CODEBOOK.read_text(encoding="utf-8"))
    assert [(q["code"], q["type"], sorted(q.get("options", {}))) for q in ours["questions"]] == [
        (q["code"], q["type"], sorted(q.get("options", {}))) for q in shared["questions"]
    ]


@pytest.mark.skipif(not SHARED_QUESTIONNAIRE.is_file(), reason="shared/ is not beside this checkout")
def test_unquoted_labels_with_commas_are_refused_naming_the_option():
    # The shared questionnaire writes {nl: Ja, structureel, en: Yes, structurally}: YAML cuts the label at the
    # comma and reads "Yes" as true. Our copy quotes such labels; the loader refuses the unquoted form.
    with pytest.raises(CodebookError, match=r"question SECTOR options option 'A3' has unexpected key\(s\) 'archeologie'"):
        load_codebook(SHARED_QUESTIONNAIRE)


def test_labels_keep_their_commas_and_yes_stays_text():
    orguse = load_codebook().question("ORGUSE")
    assert orguse.options["A1"].label_nl == "Ja, structureel"
    assert orguse.options["A1"].label_en == "Yes, structurally"


def test_export_columns_follow_the_limesurvey_layout():
    codebook = load_codebook()
    columns = codebook.export_columns()
    assert columns[:3] == ["id", "token", "submitdate"]
    assert columns[11:13] == ["SECTOR", "SECTOR[other]"]
    assert "TOOLS[SQ008]" in columns and "TOOLS[other]" in columns
    assert [c for c in columns if c.startswith("EXPECT[")] == [f"EXPECT[SQ00{i}]" for i in range(1, 7)]
    assert "PURPOSE[other]" not in columns  # PURPOSE has no "Anders"
    assert columns[-1] == "EMAIL"
    assert len(columns) == len(set(columns))


def test_allowed_codes_come_from_options_and_scales():
    codes = load_codebook().coded_columns()
    assert codes["ORGSIZE"] == {"A1", "A2", "A3", "A4", "A5"}
    assert codes["SECTOR"] >= {"A1", "A11", "-oth-"}
    assert codes["EXPECT[SQ003]"] == {"A1", "A2", "A3", "A4", "A5", "A99"}
    assert codes["RISKS[SQ001]"] == {"Y"}
    assert "OPEN_USE" not in codes


def test_duplicate_question_code_is_refused_naming_it(tmp_path):
    path = _edited(tmp_path, lambda d: d["questions"].append(dict(d["questions"][0])))
    with pytest.raises(CodebookError, match=r"duplicate question code 'SECTOR'"):
        load_codebook(path)


def test_duplicate_option_code_is_refused_naming_it(tmp_path):
    text = PROJECT_CODEBOOK.read_text(encoding="utf-8").replace(
        "      A2: {nl: \"2 tot 9\", en: \"2 to 9\"}",
        "      A2: {nl: \"2 tot 9\", en: \"2 to 9\"}\n      A2: {nl: dubbel, en: twice}",
    )
    with pytest.raises(CodebookError, match=r"duplicate key 'A2' at line \d+"):
        load_codebook(_write(tmp_path, text))


def test_unknown_type_is_refused_naming_the_question(tmp_path):
    path = _edited(tmp_path, lambda d: d["questions"][5].update(type="slider"))
    with pytest.raises(CodebookError, match=r"question FAMILIAR has unknown type 'slider'"):
        load_codebook(path)


def test_generalise_group_that_misses_an_option_is_refused(tmp_path):
    path = _edited(tmp_path, lambda d: d["questions"][1]["generalise"].update(LARGE=["A4"]))
    with pytest.raises(CodebookError, match=r"question ORGSIZE: generalise misses option\(s\) A5"):
        load_codebook(path)


def test_generalise_group_with_an_unknown_option_is_refused(tmp_path):
    path = _edited(tmp_path, lambda d: d["questions"][1]["generalise"].update(LARGE=["A4", "A5", "A6"]))
    with pytest.raises(CodebookError, match=r"ORGSIZE: generalise group 'LARGE' names unknown option 'A6'"):
        load_codebook(path)


def test_shown_if_must_refer_to_a_known_question_and_code(tmp_path):
    path = _edited(tmp_path, lambda d: d["questions"][8].update(shown_if="OWNUSE != A9"))
    with pytest.raises(CodebookError, match=r"question TOOLS: shown_if uses code\(s\) A9"):
        load_codebook(path)


def test_a_wave_folder_may_bring_its_own_questionnaire(tmp_path):
    assert codebook_for_wave(tmp_path).source == PROJECT_CODEBOOK
    own = _edited(tmp_path, lambda d: d.update(wave="2025-01"))
    assert codebook_for_wave(tmp_path).source == own
    assert codebook_for_wave(tmp_path).wave == "2025-01"


def _drop_language(node, language: str):
    """The codebook with every label and text of one language removed."""
    if isinstance(node, dict):
        return {k: _drop_language(v, language) for k, v in node.items() if not (k == language and ("nl" in node or "en" in node) and len(node) > 1 and isinstance(v, str))}
    if isinstance(node, list):
        return [_drop_language(v, language) for v in node]
    return node


@pytest.mark.parametrize("dropped", ["en", "nl"])
def test_a_codebook_in_one_language_is_enough(tmp_path, dropped):
    kept = "nl" if dropped == "en" else "en"
    document = _drop_language(yaml.safe_load(PROJECT_CODEBOOK.read_text(encoding="utf-8")), dropped)
    path = _write(tmp_path, yaml.safe_dump(document, allow_unicode=True, sort_keys=False))
    assert f"{dropped}:" not in path.read_text(encoding="utf-8").replace(f"{dropped}: {dropped}", "")
    codebook = load_codebook(path)
    full = load_codebook()
    sector, full_sector = codebook.question("SECTOR"), full.question("SECTOR")
    expected = getattr(full_sector.options["A1"], f"label_{kept}")
    assert sector.options["A1"].label_nl == sector.options["A1"].label_en == expected
    assert sector.text_nl == sector.text_en == getattr(full_sector, f"text_{kept}")


def test_an_option_without_any_label_is_refused(tmp_path):
    path = _edited(tmp_path, lambda d: d["questions"][1]["options"].update(A1={"value": 1}))
    with pytest.raises(CodebookError, match=r"option 'A1' needs a label: 'nl', 'en' or both"):
        load_codebook(path)


def test_the_e_mail_that_links_waves_and_the_headline_questions_are_codebook_flags():
    codebook = load_codebook()
    assert codebook.linking_email() == "EMAIL"
    assert set(codebook.headline_questions()) == {"FAMILIAR", "ORGUSE", "OWNUSE", "POLICY"}


@pytest.mark.parametrize(
    ("code", "flag", "message"),
    [
        ("ORGNAME", "links_waves", None),  # a second e-mail question linking waves
        ("OPEN_USE", "links_waves", "only a text question that is a direct_identifier"),
        ("TOOLS", "headline", "only a single-choice answer can be a headline question"),
        ("POLICY", "headline", "must be true or false"),
    ],
)
def test_a_misplaced_flag_is_refused_naming_the_question(tmp_path, code, flag, message):
    def edit(document):
        question = next(q for q in document["questions"] if q["code"] == code)
        question[flag] = "ja" if message == "must be true or false" else True

    with pytest.raises(CodebookError) as refused:
        load_codebook(_edited(tmp_path, edit))
    if message is None:
        assert "ORGNAME, EMAIL" in str(refused.value) or "EMAIL, ORGNAME" in str(refused.value)
    else:
        assert f"question {code}" in str(refused.value) and message in str(refused.value)


def test_the_microdata_specification_names_every_released_column_once_and_no_identifier():
    from schemas.table_specs import microdata_columns

    codebook = load_codebook()
    specs = microdata_columns(codebook)
    names = [spec.name for spec in specs]
    assert len(names) == len(set(names))
    identifiers = {q.code for q in codebook.questions_with_role("direct_identifier")}
    background = {q.code for q in codebook.questions_with_role("quasi_identifier")}
    assert not identifiers & set(names) and not background & set(names)
    assert {f"{code}_group" for code in background} <= set(names)
    policy = next(spec for spec in specs if spec.name == "POLICY")
    assert policy.kind == "code" and "A4" not in policy.allowed  # "don't know" is a missing reason, not a code
    assert all(spec.description for spec in specs)
