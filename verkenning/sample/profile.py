"""How often each answer occurs in the sample, keyed by the question and answer codes of wave 2024-01.
Questions or codes the profile does not know get a plain uniform answer, so a changed codebook still works.
"""

# Figures lean on the surveys cited in the survey README: 43% use generative AI, text tools far ahead
# of images, about 60% expect job losses, about 80% worry about training on work without permission.

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Ordinal:
    """An ordered answer driven by a person's latent AI affinity, so related answers move together.

    `order` lists codes from the low to the high end of the latent, `shares` their target shares;
    `loading` (-1..1) is how strongly the answer follows the affinity; `missing` codes (don't know)
    are drawn independently with the given probability.
    """

    order: tuple[str, ...]
    shares: tuple[float, ...]
    loading: float
    missing: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Ticks:
    """A multiple-choice question: the chance each option is ticked, how often it is skipped, how often
    an "other" text is typed, and an optional factor by the answer of an earlier question."""

    chance: dict[str, float]
    skip: float = 0.05
    other: float = 0.0
    scale_by: tuple[str, dict[str, float]] | None = None
    # Pick-at-most-N questions: how many options people tick (count -> share), picked by weight.
    counts: dict[int, float] | None = None


# Categorical single-choice answers: code -> weight (normalised by the generator).
SINGLE_WEIGHTS: dict[str, dict[str, float]] = {
    # Heritage (museum, archive, other heritage) dominates, as in the institute's earlier surveys.
    "SECTOR": {"A1": 22, "A2": 13, "A3": 10, "A4": 15, "A5": 9, "A6": 5, "A7": 4, "A8": 3, "A9": 2,
               "A10": 5, "A11": 8, "-oth-": 3},
    "ORGSIZE": {"A1": 12, "A2": 24, "A3": 26, "A4": 22, "A5": 16},
    "ROLE": {"A1": 19, "A2": 21, "A3": 14, "A4": 13, "A5": 9, "A6": 11, "A7": 8, "-oth-": 5},
    # Concentrated in the Randstad (Utrecht, Noord- and Zuid-Holland), as cultural institutions are.
    "PROVINCE": {"A1": 2, "A2": 1, "A3": 1, "A4": 4, "A5": 1, "A6": 8, "A7": 17, "A8": 30, "A9": 20,
                 "A10": 1, "A11": 5, "A12": 3, "A13": 7},
    "POLICY": {"A1": 12, "A2": 30, "A3": 38, "A4": 20},
    "FOLLOWUP": {"A1": 45, "A2": 55},
}

# Single-choice weights that depend on the answer to an earlier question: question -> (earlier
# question, {earlier codes: weights}); earlier codes not listed fall back to SINGLE_WEIGHTS.
# The dependencies also keep the quasi-identifiers realistically concentrated, so that coarsened
# combinations of sector, size, role and province are shared by several respondents.
HERITAGE, LIBRARY, ARTS, SUPPORTING = ("A1", "A2", "A3"), ("A4",), ("A5", "A6", "A7", "A8", "A9"), ("A10", "A11")
CONDITIONAL_WEIGHTS: dict[str, tuple[str, dict[tuple[str, ...], dict[str, float]]]] = {
    # Libraries and archives are rarely one-person businesses; visual arts, film and letters often are.
    "ORGSIZE": ("SECTOR", {
        ("A1",): {"A1": 3, "A2": 30, "A3": 30, "A4": 22, "A5": 15},
        ("A2",): {"A1": 2, "A2": 18, "A3": 36, "A4": 30, "A5": 14},
        ("A4",): {"A1": 1, "A2": 10, "A3": 35, "A4": 38, "A5": 16},
        ("A6", "A8"): {"A1": 40, "A2": 30, "A3": 18, "A4": 8, "A5": 4},
        ("A7",): {"A1": 35, "A2": 30, "A3": 20, "A4": 10, "A5": 5},
        ("A11",): {"A1": 2, "A2": 15, "A3": 33, "A4": 30, "A5": 20},
    }),
    # Heritage staff work on collections, library staff with audiences, arts staff on the programme.
    "ROLE": ("SECTOR", {
        HERITAGE: {"A1": 15, "A2": 42, "A3": 9, "A4": 14, "A5": 9, "A6": 3, "A7": 5, "-oth-": 3},
        LIBRARY: {"A1": 18, "A2": 8, "A3": 12, "A4": 40, "A5": 10, "A6": 5, "A7": 4, "-oth-": 3},
        ARTS: {"A1": 25, "A2": 3, "A3": 17, "A4": 8, "A5": 4, "A6": 36, "A7": 4, "-oth-": 3},
        SUPPORTING: {"A1": 25, "A2": 5, "A3": 10, "A4": 28, "A5": 5, "A6": 4, "A7": 9, "-oth-": 14},
    }),
    # Funds and sector bodies often work nationally.
    "PROVINCE": ("SECTOR", {
        ("A11",): {"A7": 12, "A8": 20, "A9": 18, "A6": 3, "A11": 2, "A13": 45},
    }),
    # Organisations that use AI more often have (or are writing) a policy.
    "POLICY": ("ORGUSE", {
        ("A1",): {"A1": 30, "A2": 40, "A3": 20, "A4": 10},
        ("A2",): {"A1": 18, "A2": 40, "A3": 30, "A4": 12},
    }),
}

# Shifts of the latent AI affinity by earlier answers (question, code) -> shift in standard deviations.
AFFINITY_SHIFTS: dict[tuple[str, str], float] = {
    ("ROLE", "A5"): 0.7,   # IT, data, digitisation
    ("ROLE", "A3"): 0.3,   # marketing and communication
    ("ROLE", "A2"): -0.15,
    ("ORGSIZE", "A1"): -0.3,  # freelancers use AI less than employees
    ("ORGSIZE", "A5"): 0.2,
    ("SECTOR", "A7"): 0.4,
    ("SECTOR", "A4"): 0.15,
    ("SECTOR", "A3"): -0.2,
}

ORDINALS: dict[str, Ordinal] = {
    "FAMILIAR": Ordinal(("A1", "A2", "A3", "A4", "A5"), (0.07, 0.23, 0.36, 0.24, 0.10), loading=0.75),
    "ORGUSE": Ordinal(("A4", "A3", "A2", "A1"), (0.22, 0.28, 0.36, 0.14), loading=0.45, missing={"A5": 0.10}),
    # 43% at least monthly (A1-A3); people who never use AI know less about it (FAMILIAR, same latent).
    "OWNUSE": Ordinal(("A5", "A4", "A3", "A2", "A1"), (0.35, 0.22, 0.15, 0.20, 0.08), loading=0.85),
}

AGREE = ("A1", "A2", "A3", "A4", "A5")
DONT_KNOW = "A99"
# Array statements: question -> statement -> Ordinal on the agree scale.
ARRAY_ORDINALS: dict[str, dict[str, Ordinal]] = {
    "EXPECT": {
        "SQ001": Ordinal(AGREE, (0.04, 0.12, 0.22, 0.40, 0.22), 0.40, {DONT_KNOW: 0.04}),
        "SQ002": Ordinal(AGREE, (0.03, 0.08, 0.24, 0.45, 0.20), 0.55, {DONT_KNOW: 0.04}),
        # Most worry about copyright (about 80% agree).
        "SQ003": Ordinal(AGREE, (0.02, 0.05, 0.11, 0.42, 0.40), -0.10, {DONT_KNOW: 0.03}),
        "SQ004": Ordinal(AGREE, (0.03, 0.12, 0.25, 0.38, 0.22), 0.0, {DONT_KNOW: 0.05}),
        # Around 60% think AI threatens jobs.
        "SQ005": Ordinal(AGREE, (0.03, 0.13, 0.20, 0.40, 0.24), -0.25, {DONT_KNOW: 0.03}),
        "SQ006": Ordinal(AGREE, (0.18, 0.38, 0.26, 0.14, 0.04), 0.35, {DONT_KNOW: 0.05}),
    },
}

MULTI: dict[str, Ticks] = {
    # Text tools (ChatGPT, DeepL) far ahead of images and speech; heavier users use more tools.
    "TOOLS": Ticks(
        chance={"SQ001": 0.83, "SQ002": 0.28, "SQ003": 0.12, "SQ004": 0.30, "SQ005": 0.55,
                "SQ006": 0.20, "SQ007": 0.08, "SQ008": 0.05},
        skip=0.04, other=0.07,
        scale_by=("OWNUSE", {"A1": 1.15, "A2": 1.0, "A3": 0.85, "A4": 0.6}),
    ),
    "PURPOSE": Ticks(
        chance={"SQ001": 0.70, "SQ002": 0.40, "SQ003": 0.45, "SQ004": 0.25, "SQ005": 0.25,
                "SQ006": 0.20, "SQ007": 0.15, "SQ008": 0.15, "SQ009": 0.10, "SQ010": 0.10},
        skip=0.05,
    ),
    "RISKS": Ticks(
        chance={"SQ001": 0.75, "SQ002": 0.35, "SQ003": 0.30, "SQ004": 0.55, "SQ005": 0.35,
                "SQ006": 0.30, "SQ007": 0.15, "SQ008": 0.40},
        counts={0: 0.06, 1: 0.10, 2: 0.22, 3: 0.62},
    ),
    "SUPPORT": Ticks(
        chance={"SQ001": 0.62, "SQ002": 0.55, "SQ003": 0.45, "SQ004": 0.38, "SQ005": 0.35,
                "SQ006": 0.22, "SQ007": 0.40, "SQ008": 0.28},
        skip=0.06, other=0.04,
    ),
}

# Optional free-text questions: how often they are filled when shown.
TEXT_FILL: dict[str, float] = {
    "ORGNAME": 0.60,
    "EMAIL": 0.97,
    "OPEN_USE": 0.50,
    "OPEN_CONCERN": 0.55,
    "OPEN_SUPPORT": 0.42,
}
DEFAULT_TEXT_FILL = 0.3
DEFAULT_MULTI_CHANCE = 0.3

# Which institutions a respondent names, by the answers that say where they work.
SECTOR_QUESTION = "SECTOR"
SIZE_QUESTION = "ORGSIZE"
PROVINCE_QUESTION = "PROVINCE"
SECTOR_KIND: dict[str, str] = {
    "A1": "museum", "A2": "archive", "A3": "heritage", "A4": "library", "A5": "performing",
    "A6": "visual", "A7": "film", "A8": "letters", "A9": "festival", "A10": "education",
    "A11": "government",
}
SELF_EMPLOYED_SIZES: frozenset[str] = frozenset({"A1"})
LARGE_SIZES: frozenset[str] = frozenset({"A4", "A5"})

# Which question's answer marks someone who does not use AI (open answers about use say so).
OWN_USE_QUESTION = "OWNUSE"
NEVER_USES = frozenset({"A5"})
