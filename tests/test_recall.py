"""Recall that does not depend on having seen the phrase (issue 12): the structural reading
(corpus/patterns/slots.json) and its review tier, list items as provisions, fiscal
preemption, the wordings the issue names, real bills labelled blind, and the vetoes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from lssc_legal.analyze import analyze_bill
from lssc_legal.analyze.slots import slot_reader
from lssc_legal.cli import cli
from lssc_legal.corpusdir import corpus_dir
from lssc_legal.goldset import _matches, evaluate
from lssc_legal.ingest import read_bill

ROOT = Path(__file__).resolve().parent
FIXTURES = ROOT / "fixtures" / "real"
GOLD = ROOT / "gold" / "blind"
REAL = ROOT.parent.parent / "shared" / "corpus-real"
SLOTS = json.loads((corpus_dir() / "patterns" / "slots.json").read_text(encoding="utf-8"))


def analysis_of(tmp_path: Path, *sentences: str, state: str = "TEXAS"):
    body = "".join(f"({chr(97 + i)}) {s}\n" for i, s in enumerate(sentences))
    path = tmp_path / "bill.txt"
    path.write_text(
        f"H.B. No. 1\nBE IT ENACTED BY THE LEGISLATURE OF THE STATE OF {state}:\n"
        f"SECTION 1. Sec. 1.001. TEST PROVISION.\n{body}"
        "SECTION 2. This Act takes effect September 1, 2025.\n"
    )
    return analyze_bill(read_bill(path))


def found(analysis, sentence: str):
    probe = " ".join(sentence.split())[:50]
    return [p for p in analysis.provisions if probe in p.text]


# -- the structural reading's own examples ------------------------------------------------

CUES = [(c["id"], text, True) for c in SLOTS["cues"] for text in c["examples"]] + [
    (c["id"], text, False) for c in SLOTS["cues"] for text in c["counterexamples"]
]


@pytest.mark.parametrize(
    ("cue", "sentence", "reported"),
    CUES,
    ids=[f"{c[0]}-{'ex' if c[2] else 'counter'}{i}" for i, c in enumerate(CUES)],
)
def test_slot_examples(tmp_path, cue, sentence, reported):
    """Each cue's example comes out as a provision (review, or classified by a named pattern
    that knows it by now); each counterexample does not come out at all."""
    got = found(analysis_of(tmp_path, sentence), sentence.split(". ")[-1])
    assert bool(got) == reported, (cue, sentence, [(p.confidence, p.rules) for p in got])


def test_every_slot_cue_has_an_example_and_a_rationale():
    for cue in SLOTS["cues"]:
        assert cue["examples"] and cue["rationale"], cue["id"]
        assert cue["slot"] in ("restriction", "declaration", "sanction", "preservation")


def test_a_review_item_names_both_slots(tmp_path):
    sentence = (
        "The board of a district may not adopt a combined tax rate that exceeds the rate "
        "adopted for the preceding year."
    )
    [p] = found(analysis_of(tmp_path, sentence), sentence)
    assert p.confidence == "review"
    assert p.kind == "express" and "fiscal" in p.subjects
    assert "binds a board of a district; limits it: 'may not'" in p.rationale
    assert p.rules and all(r.startswith("review.") for r in p.rules)
    assert p.principles == ()  # listed, not weighed
    d = p.to_dict()
    assert d["confidence"] == "review" and d["rationale"] == p.rationale and d["lead_in"] is None


def test_context_binds_a_sentence_that_names_no_locality(tmp_path):
    """'The prohibition ... applies to' counts where its subsection binds a locality, and
    nowhere else."""
    rule = "A political subdivision may not use public money to plan an environmental project."
    follow = (
        "The prohibition prescribed by this subsection applies to public money from any source."
    )
    path = tmp_path / "b.txt"
    path.write_text(
        "H.B. No. 1\nBE IT ENACTED BY THE LEGISLATURE OF THE STATE OF TEXAS:\n"
        f"SECTION 1. Sec. 1.001. TEST.\n(a) {rule} {follow}\n"
        f"SECTION 2. Sec. 2.001. OTHER.\n(a) The department shall adopt rules. {follow}\n"
    )
    a = analyze_bill(read_bill(path))
    hits = found(a, follow)
    assert len(hits) == 1 and hits[0].confidence == "review"
    assert hits[0].section.startswith("SECTION 1")
    assert any("binds one" in n for n in hits[0].notes)


# -- the wordings issue 12 names -----------------------------------------------------------

WORDINGS = [
    # (sentence, kind, mechanism or subject that must be read)
    ("A governmental body may not limit or restrict the enforcement of federal immigration "
     "laws to less than the full extent permitted by federal law.", "express", "immigration"),
    ("This chapter does not preempt, limit, or otherwise affect the applicability of any other "
     "law, regulation, requirement, policy, or standard that provides for greater accrual or use "
     "by employees of paid sick leave.", "savings", "labor.leave"),
    ("A municipality may not levy a property tax rate that exceeds the voter-approval tax rate "
     "unless the governing body of the municipality holds an election.", "express", "fiscal"),
    ("A county may not impose a new tax or fee on the sale of groceries.", "express", "fiscal"),
    ("A law enforcement agency of a municipality may not be prohibited or in any way restricted "
     "from sending, receiving, or maintaining information relating to the immigration status of "
     "any individual.", "express", "immigration"),
    ("The attorney general may bring an action against a municipality that violates this "
     "section.", "punitive", "ag_enforcement"),
    ("If the municipality fails to repeal the ordinance, the comptroller shall withhold from the "
     "municipality the sales tax revenue otherwise due.", "punitive", "funding_withheld"),
    ("A county that adopts a sanctuary policy may not receive state grants for the following "
     "fiscal year.", "punitive", "funding_withheld"),
    ("A member of the governing body who votes for the ordinance commits misfeasance or "
     "malfeasance in office.", "punitive", "official_removal"),
    ("A municipality may not use public funds to defend an official who violates this "
     "section.", "express", "no_public_defense"),
    ("The state is entitled to recover from the municipality the cost of the enforcement "
     "action.", "punitive", "entity_liability"),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "kind", "what"), WORDINGS)
def test_the_wordings_the_issue_names_are_classified(tmp_path, sentence, kind, what):
    [p] = found(analysis_of(tmp_path, sentence), sentence)
    assert p.confidence == "high", p.rules
    assert p.kind == kind
    assert what in p.punitive or what in p.subjects, (p.punitive, p.subjects)


def test_exclusively_preempted_after_an_enumerated_list(tmp_path):
    a = analysis_of(
        tmp_path,
        "The regulation of firearms, ammunition and knives is exclusively preempted to the state.",
    )
    [p] = a.provisions
    assert p.kind == "field" and p.confidence == "high"


# -- list items -----------------------------------------------------------------------------


def test_each_operative_list_item_is_its_own_provision(tmp_path):
    lead = "No political subdivision shall adopt a policy that:"
    path = tmp_path / "b.txt"
    path.write_text(
        "H.B. No. 1\nBE IT ENACTED BY THE LEGISLATURE OF THE STATE OF TEXAS:\n"
        f"SECTION 1. Sec. 1.001. TEST.\n(a) {lead}\n"
        "(1) prohibits the enforcement of immigration laws;\n"
        "(2) limits the wages paid by employers; or\n"
        "(3) requires a warrant before a detainer is honored.\n"
        "(b) A political subdivision that adopts an ordinance in violation of Subsection (a) is "
        "liable for a civil penalty of:\n(1) $5,000 for a first violation;\n"
        "(2) $10,000 for a second violation; and\n(3) $25,000 for each later violation.\n"
    )
    a = analyze_bill(read_bill(path))
    items = [p for p in a.provisions if p.lead_in == lead]
    assert [p.text for p in items] == [
        "prohibits the enforcement of immigration laws;",
        "limits the wages paid by employers; or",
        "requires a warrant before a detainer is honored.",
    ]
    assert [p.section[-6:] for p in items] == ["(a)(1)", "(a)(2)", "(a)(3)"]
    assert [p.subjects for p in items] == [("immigration",), ("labor.wages",), ("immigration",)]
    assert all(p.kind == "express" and p.confidence == "high" for p in items)
    assert not [p for p in a.provisions if p.text == lead], "the lead-in is carried by its items"
    fines = [p for p in a.provisions if p.lead_in and p.lead_in.endswith("civil penalty of:")]
    assert [p.text[:7] for p in fines] == ["$5,000 ", "$10,000", "$25,000"]
    assert all(p.punitive == ("entity_liability",) for p in fines)


def test_a_list_of_conditions_stays_one_provision(tmp_path):
    path = tmp_path / "b.txt"
    path.write_text(
        "H.B. No. 1\nBE IT ENACTED BY THE LEGISLATURE OF THE STATE OF TEXAS:\n"
        "SECTION 1. Sec. 1.001. TEST.\n(a) A county may not adopt an ordinance regulating "
        "rent unless:\n(1) the commissioners court holds a hearing;\n(2) the voters approve "
        "it; and\n(3) the ordinance expires within one year.\n"
    )
    a = analyze_bill(read_bill(path))
    [p] = [p for p in a.provisions if "regulating rent unless" in p.text]
    assert p.text.endswith("expires within one year.") and p.lead_in is None


def _arizona(tmp_path: Path, lead: str, items: str) -> list:
    path = tmp_path / "az.txt"
    path.write_text(
        "HB 1\nBe it enacted by the Legislature of the State of Arizona:\n"
        "Section 1. Section 9-463.05, Arizona Revised Statutes, is amended to read:\n"
        "9-463.05. Development fees\nA. A municipality may assess development fees.\n"
        f"B. {lead}\n{items}"
        "C. A municipality shall adopt an infrastructure improvements plan.\n"
        "Sec. 2. Effective date\nThis act is effective from and after December 31, 2026.\n"
    )
    return list(analyze_bill(read_bill(path)).provisions)


REQUIREMENTS = (
    "1. The municipality may not assess a development fee on a school.\n"
    "2. The development fee shall not exceed a proportionate share of the cost.\n"
    "3. Development fees may not be used for any of the following:\n"
    "(a) Repair, operation or maintenance of existing public services.\n"
    "(b) Administrative, maintenance or operating costs of the municipality.\n"
    "4. A development fee may not be increased more than once every four years.\n"
)


@pytest.mark.parametrize(
    ("lead", "split"),
    [
        ("Development fees assessed by a municipality are subject to the following "
         "requirements:", True),
        ("Development fees assessed by a municipality shall comply with the following:", True),
        ("The following requirements apply to development fees assessed by a municipality:",
         True),
        # conditions of one rule: the items are read and quoted together
        ("A municipality may assess development fees only if it complies with the following "
         "requirements:", False),
        ("Development fees may be assessed if the municipality meets all of the following "
         "conditions:", False),
    ],
)  # fmt: skip
def test_a_list_of_requirements_in_whole_sentences_is_one_provision_per_item(tmp_path, lead, split):
    """Arizona's development-fee lists ("are subject to the following requirements: 1.
    Development fees shall ...; 2. ..."): each item is a rule of its own, and a nested list
    ("3. ... may not be used for any of the following: (a) ...") gives one provision per
    nested item, read with its own lead-in."""
    found = _arizona(tmp_path, lead, REQUIREMENTS)
    fee_cap = [p for p in found if "proportionate share" in p.text]
    assert fee_cap, [p.text[:60] for p in found]
    if not split:
        assert len(fee_cap) == 1 and fee_cap[0].text.startswith(lead[:30])
        return
    assert fee_cap[0].text.startswith("The development fee shall not exceed")
    assert fee_cap[0].lead_in == lead
    nested = [p for p in found if p.lead_in and p.lead_in.startswith("Development fees may not")]
    assert [p.text[:24] for p in nested] == ["Repair, operation or mai", "Administrative, maintena"]
    assert [p.section.split("(")[-1] for p in nested] == ["a)", "b)"]
    [after] = [p for p in found if "more than once every four years" in p.text]
    assert after.lead_in == lead, "the list goes on after a nested list"


@pytest.mark.parametrize("binds", [True, False])
def test_a_declaration_or_a_permission_reads_against_its_whole_section(tmp_path, binds):
    """Arizona's theft-of-business-property sections (H.B. 2460): "A. ... a municipality may
    not adopt ... C. A municipality may do any of the following: 1. ... E. The regulation of
    ... is of statewide concern." The permission's items are carve-outs and the declaration
    claims the field, though neither names a locality that its own subsection binds; in a
    section that binds no locality, neither comes out."""
    first = (
        "A municipality may not adopt or enforce any ordinance that imposes a penalty on a "
        "business for the theft of its carts."
        if binds
        else "The department shall keep a register of stolen carts."
    )
    path = tmp_path / "az.txt"
    path.write_text(
        "HB 1\nBe it enacted by the Legislature of the State of Arizona:\n"
        # Title 44 (trade and commerce): a statute that does not itself govern localities
        "Section 1. Title 44, Arizona Revised Statutes, is amended by adding section 44-1799.99, "
        "to read:\n44-1799.99. Carts; theft\n"
        f"A. {first}\n"
        "B. A municipality may do any of the following:\n"
        "1. Notify a business of the location of a cart that belongs to the business.\n"
        "2. Enact general nuisance abatement ordinances that do not penalize a business.\n"
        "C. The regulation of the theft of carts is of statewide concern. The regulation of "
        "the theft of carts is not subject to further regulation by a municipality.\n"
        "Sec. 2. Effective date\nThis act is effective from and after December 31, 2026.\n"
    )
    got = [(p.text[:42], p.kind) for p in analyze_bill(read_bill(path)).provisions]
    named = ("The regulation of the theft of carts is no", "field")  # names the municipality
    if not binds:
        assert got == [named]
        return
    assert got[1:] == [
        ("Notify a business of the location of a car", "savings"),
        ("Enact general nuisance abatement ordinance", "savings"),
        ("The regulation of the theft of carts is of", "field"),
        named,
    ]


FLORIDA_CONSEQUENCES = """HB 1303
A bill to be entitled
An act relating to fiscal oversight; providing an effective date.
Be It Enacted by the Legislature of the State of Florida:
Section 1. Section 17.324, Florida Statutes, is created to read:
17.324 Audits of local governments.\u2014
(3)(a) If a local government is noncompliant, and at the discretion of the Chief Financial \
Officer:
1. At least 15 days after the initial request:
a. The agency may impose administrative fines on local governments of no more than $1,000 \
each day.
b. The agency must provide the local government with written notice.
2. At least 45 days after the initial request, the agency may withhold state funds until the \
local government is no longer noncompliant.
(b) If the court finds that a county violated this section, the court shall:
1. declare the ordinance void;
2. enjoin its enforcement; and
3. award the plaintiff reasonable attorney fees.
(c) A county may not adopt an ordinance regulating rent unless:
1. the county holds a hearing;
2. the voters approve it; and
3. the ordinance expires within one year.
Section 2. This act shall take effect July 1, 2026.
"""


def test_a_condition_that_opens_a_list_of_consequences_splits_it(tmp_path):
    """Florida H.B. 1303's sanctions ("If a local government is noncompliant ...: 1. At least
    15 days after the initial request: a. The agency may impose fines ... 2. ... may withhold
    state funds"), and a condition before the main clause the items complete ("If the court
    finds ..., the court shall: 1. declare ...; 2. enjoin ..."): each consequence is its own
    provision, quoted without its label; a list of conditions ("unless: 1. ...") stays one."""
    path = tmp_path / "fl.txt"
    path.write_text(FLORIDA_CONSEQUENCES)
    got = {p.text[:30]: p for p in analyze_bill(read_bill(path)).provisions}
    fines = got["The agency may impose administ"]
    assert fines.lead_in == "At least 15 days after the initial request:"
    assert fines.section.endswith("(3)(a)(1)(a)") and fines.punitive == ("entity_liability",)
    withhold = got["At least 45 days after the ini"]
    assert withhold.lead_in.startswith("If a local government is noncompliant")
    assert withhold.punitive == ("funding_withheld",)
    assert got["declare the ordinance void;"].lead_in.startswith("If the court finds")
    assert "enjoin its enforcement; and" in got
    [rent] = [p for p in got.values() if "rent unless" in p.text]
    assert rent.text.endswith("expires within one year.") and rent.lead_in is None


@pytest.mark.parametrize(
    ("sentence", "punitive"),
    [
        # Texas Education Code 44.004(e): the injunction restrains the district
        ("A person who owns taxable property in a school district is entitled to an "
         "injunction restraining the collection of taxes by the district if the district has "
         "not complied with the requirements of this section.", True),
        # fees a county recovers protect it: no penalty on it
        ("If the suit is frivolous, the county is entitled to an award of its reasonable "
         "attorney's fees and costs.", False),
    ],
)  # fmt: skip
def test_who_is_entitled_decides_whether_a_remedy_punishes(tmp_path, sentence, punitive):
    got = [p for p in found(analysis_of(tmp_path, sentence), sentence) if p.kind == "punitive"]
    assert bool(got) == punitive, [(p.rules, p.text) for p in got]


# -- real bills labelled blind (dev bills committed as fixtures) ------------------------------


@pytest.mark.parametrize(
    "name",
    sorted(
        p.name
        for p in FIXTURES.glob("*.*")
        if p.suffix != ".md" and (GOLD / (p.stem.lower() + ".json")).exists()
    ),
)
def test_real_fixture_finds_every_blind_label(name):
    gold = json.loads((GOLD / (Path(name).stem.lower() + ".json")).read_text(encoding="utf-8"))
    assert gold["split"] != "frozen"  # a frozen bill is never a fixture
    analysis = analyze_bill(read_bill(FIXTURES / name))
    for label in gold["provisions"]:
        if label.get("optional"):
            continue
        match = [p for p in analysis.provisions if _matches(label["quote"], p)]
        assert match, label["quote"]
        assert any(p.kind == label["kind"] for p in match), (label["quote"], match[0].kind)
    # A hard negative never comes out classified; as a review item it is a lead the lawyer
    # dismisses, which the precision figures count.
    high = [p for p in analysis.provisions if p.confidence == "high"]
    for negative in gold.get("negatives", []):
        probe = " ".join(negative.split())[:60].lower()
        assert not any(probe in " ".join(p.text.split()).lower() for p in high), negative


# The floor of each blind dev set's recall, counting review items (see the test's history).
DEV_FLOORS = {
    "dev": 0.88, "dev2": 0.93, "dev3": 0.90, "dev4": 0.88, "dev5": 0.84, "dev6": 0.88,
    "dev7": 0.85, "dev8": 0.80, "dev9": 0.92, "dev10": 0.88, "dev11": 0.77, "dev12": 0.90,
    "dev13": 0.90, "dev14": 0.83,
}  # fmt: skip


@pytest.mark.parametrize("split", list(DEV_FLOORS))
def test_blind_dev_recall_does_not_regress(split: str):
    """Measured on the blind dev sets (readers never saw the tool's output), counting review
    items, on 2026-12-02 (session 22): 0.88 (dev), 0.94 (dev2), 0.83 (dev3, which scored 0.64
    when first measured, before any tuning on it), 0.83 (dev4, first 0.73). Session 23, with
    duties read where their part of the bill binds: 0.90, 0.94, 0.91, 0.84, 0.86 (dev5, first
    0.79), 0.71 (dev6, first 0.68); at the end of session 23: 0.90, 0.94, 0.91, 0.91, 0.88,
    0.78, 0.77 (dev7, first 0.66), 0.74 (dev8, first 0.48). Session 24: 0.90, 0.95, 0.93,
    0.90, 0.88, 0.78, 0.77, 0.74, 0.92 (dev9, first 0.41); at the end of session 24: 0.90,
    0.95, 0.94, 0.90, 0.89, 0.85, 0.79, 0.83, 0.95, 0.92 (dev10, first 0.84), 0.78 (dev11,
    first 0.78). Session 25, with statutes that govern localities (codes.json): 0.91, 0.95,
    0.94, 0.91, 0.90, 0.92, 0.89, 0.83, 0.95, 0.96, 0.80, 0.95 (dev12, first 0.86), 1.00
    (dev13, first 1.00 with the session's starting code and its final code). Session 26:
    0.83 (dev14, first 0.83 with the session's starting code and with its subject and
    penalty changes, before any tuning on it), 0.87 after. The frozen
    set is reported by benchmarks/accuracy.py only, never guarded here."""
    if not REAL.exists():
        pytest.skip("real corpus not present")
    results = evaluate(GOLD, REAL, splits={split})
    assert results[split]["all"].figures()["recall"] >= DEV_FLOORS[split]
    if split == "dev":
        assert results["dev"]["all"].figures()["high_precision"] >= 0.95


def test_pennsylvania_printed_bill_html_reads_printed_pages_and_lines():
    """palegis.us prints each line as an element carrying its page and line: pinpoints are
    the printed ones, the running foot ("20250HB0120PN0102 - 2 -") and margin numbers are not
    text, and the number printed apart from "HOUSE BILL No." is the bill's."""
    bill = read_bill(FIXTURES / "PA-HB0120-2025-PN0102.html")
    assert bill.meta.citation == "H.B. 120, 209th Gen. Assemb., Reg. Sess. (Pa. 2025)"
    assert "PN0102 -" not in bill.text and "See other bills" not in bill.text
    at = bill.text.index("A local ordinance,")
    assert str(bill.pinpoint(at)) == "2:15"  # the blind reader's page:line
    assert not any("stand apart" in w for w in bill.warnings)


def test_pennsylvania_drawn_underline_is_read_as_inserted_text():
    """palegis.us draws underline and strike-through in each page's background SVG: the new
    section 6 is underlined; the uncodified section 2 that preempts is not."""
    bill = read_bill(FIXTURES / "PA-HB0120-2025-PN0102.html")
    new = bill.text.index("Consent Required for Vaccines")
    assert {s.mark for s in bill.spans_in(new, new + 30)} == {"inserted"}
    old = bill.text.index("The General Assembly finds and declares")
    assert {s.mark for s in bill.spans_in(old, old + 30)} == {"unchanged"}


# -- vetoes: what is not local preemption -------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "This section is preempted by federal law to the extent it conflicts with 49 U.S.C. 14501.",
        "The department may not require an applicant to submit more than one copy of the plan.",
        "A person may not operate a motor vehicle in a county without a valid license.",
        'As used in this section, "political subdivision" means a county or municipality.',
    ],
)
def test_vetoes_keep_what_is_not_local_preemption_out(tmp_path, sentence):
    assert not found(analysis_of(tmp_path, sentence), sentence)


# -- outputs keep the tiers apart ---------------------------------------------------------------


def test_json_and_markdown_show_the_two_tiers(tmp_path):
    bill = tmp_path / "b.txt"
    bill.write_text(
        "H.B. No. 1\nBE IT ENACTED BY THE LEGISLATURE OF THE STATE OF TEXAS:\n"
        "SECTION 1. Sec. 1.001. TEST.\n(a) The board of a district may not adopt a combined "
        "tax rate that exceeds the rate adopted for the preceding year.\n"
    )
    runner = CliRunner()
    out = runner.invoke(cli, ["analyze", str(bill), "--format", "json"])
    assert out.exit_code == 0, out.output
    [p] = json.loads(out.stdout)["provisions"]
    assert p["confidence"] == "review" and "binds a board of a district" in p["rationale"]
    md = runner.invoke(cli, ["analyze", str(bill), "--format", "md"]).stdout
    assert "**Sponsors:** none printed" in md  # not an empty line
    bottom = md.split("## Bottom line")[1].split("##")[0]
    assert "preempts nothing" not in bottom and "no provision that itself preempts" not in bottom
    assert "Also worth a look" in bottom
    review = md.split("## Also worth a look")[1].split("##")[0]
    assert "board of a district may not adopt" in review
    assert "Why listed: the passage binds a board of a district and limits it ('may not')" in review
    # the terminal table too: no classified provision, one review item in a table of its own
    table = runner.invoke(cli, ["analyze", str(bill)]).stdout
    assert "0 provisions" in table and "Also worth a look: 1 passage" in table
    assert "read the review items above" in table


def test_slot_reader_reads_cue_phrases():
    reader = slot_reader(None)
    hits = reader.read("The board of supervisors shall not adopt a code that prohibits sprinklers.")
    assert [(h.cue.id, h.actor) for h in hits][:1] == [
        ("restriction.negated_modal", "board of supervisors")
    ]
    assert reader.read("A person who resides in a county may not operate a vehicle.") == []


@pytest.mark.parametrize(
    ("name", "broken", "said"),
    [
        ("slots.json", '{"cues": []}', "slots.json: is not a structural-reading file"),
        ("codes.json", '{"codes": [{"state": "TX"}]}', "codes.json: is not a list of local codes"),
    ],
)
def test_a_broken_reading_file_is_one_line_and_a_missing_one_falls_back(
    tmp_path, name, broken, said
):
    """slots.json (the structural reading) and codes.json (statutes that govern local
    governments): broken, one line and exit 2; missing (a corpus copied before the file
    existed), the analysis runs without it."""
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir(), corpus, ignore=shutil.ignore_patterns("__pycache__"))
    bill = corpus / "examples" / "tx_hb4312.pdf"
    (corpus / "patterns" / name).write_text(broken, encoding="utf-8")
    r = CliRunner().invoke(cli, ["analyze", str(bill), "--corpus", str(corpus), "--format", "json"])
    assert r.exit_code == 2
    assert said in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    (corpus / "patterns" / name).unlink()
    r = CliRunner().invoke(cli, ["analyze", str(bill), "--corpus", str(corpus), "--format", "json"])
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["provisions"]


# -- readings added after the third blind round (dev3) ------------------------------------

QUIET = [
    # A bill's own sunset or contingency is no declaration about local measures.
    "A county may not adopt an ordinance regulating the sale of kratom. This section expires "
    "January 1, 2027.",
    "A county may not adopt an ordinance regulating the sale of kratom. If Section 4.01 of this "
    "Act does not take effect, this section has no effect.",
    # A rule of reading, a kept duty, boilerplate "not limited to": no restriction, no saving.
    "A county may not adopt an ordinance regulating the sale of kratom. This section does not "
    "supersede the duty of a county to respond to a public records request.",
    "A county may not adopt an ordinance regulating the sale of kratom. The county's report "
    "shall include, but not be limited to, the taxes levied and the fees collected.",
]


@pytest.mark.parametrize("text", QUIET)
def test_what_only_looks_like_a_second_provision_stays_quiet(tmp_path, text):
    first, second = text.split(". ", 1)
    a = analysis_of(tmp_path, text)
    assert found(a, first), "the restriction itself is still found"
    assert not found(a, second), [(p.rules, p.text) for p in found(a, second)]


def _listed(tmp_path, lead: str, items: list[str]):
    path = tmp_path / "list.txt"
    body = "\n".join(f"({i}) {item}" for i, item in enumerate(items, 1))
    path.write_text(
        "H.B. No. 1\nBE IT ENACTED BY THE LEGISLATURE OF THE STATE OF TEXAS:\n"
        "SECTION 1. Sec. 1.001. TEST PROVISION.\n"
        f"(a) A municipality may not adopt a rental registry. {lead}\n{body}\n"
        "SECTION 2. This Act takes effect September 1, 2025.\n"
    )
    return analyze_bill(read_bill(path))


def test_a_grant_of_powers_in_a_lead_in_is_one_unit_but_an_exception_is_not(tmp_path):
    items = ["regulate signs and billboards;", "establish building setback lines."]
    a = _listed(tmp_path, "A municipality may:", items)
    assert not [p for p in a.provisions if p.lead_in], "no item is its own provision"
    a = _listed(tmp_path, "However, a municipality may require:", items)
    assert len([p for p in a.provisions if p.lead_in]) == 2


def test_a_conditional_permission_is_also_a_limit(tmp_path):
    text = (
        "A city may not regulate booting services. A city may adopt an ordinance that regulates "
        "the rates a booting service may charge that are consistent with subsection G."
    )
    [p] = found(analysis_of(tmp_path, text), "A city may adopt an ordinance")
    assert p.confidence == "review" and p.kind == "express" and "savings" in p.kinds
    assert "conditional ('consistent with')" in p.rationale


READINGS = [
    # A refund the locality owes for a missed deadline is a penalty, not also a mandate.
    ("A municipality must issue a refund to an applicant equal to 50 percent of the "
     "application fee if the municipality fails to approve or deny the application within "
     "120 days.", "punitive", "entity_liability"),
    # "unlawful for a person ..., or for any political subdivision to ...".
    ("It shall be unlawful for a person to engage in an adult performance, or for any "
     "political subdivision of this state to allow or authorize such a performance on "
     "public property.", "express", "political subdivision"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "kind", "said"), READINGS)
def test_readings_added_after_dev3(tmp_path, text, kind, said):
    [p] = found(analysis_of(tmp_path, text), text)
    assert p.kind == kind
    assert said in p.punitive or said in p.rationale, (p.punitive, p.rationale)
    if kind == "punitive":
        assert p.kinds == ("punitive",)  # the refund's words are not read as a mandate too


def test_a_term_the_bill_defines_as_a_local_government_binds_like_one(tmp_path):
    """Florida's s. 337.401: "'Authority' means a county or municipality ...", then "An
    authority may not ...": the defined term is a local government. A term defined as a
    person who deals with a county is not, nor one that takes in state bodies too
    (Oklahoma's "the term 'court' refers to all municipal and district courts", in a
    sentencing bill)."""
    path = tmp_path / "def.txt"
    path.write_text(
        "H.B. No. 1\nBE IT ENACTED BY THE LEGISLATURE OF THE STATE OF TEXAS:\n"
        "SECTION 1. Sec. 1.001. DEFINITIONS. In this chapter:\n"
        '(1) "Authority" means a county or municipality having jurisdiction over a right-of-way.\n'
        '(2) "Applicant" means a person who applies to a county for a permit.\n'
        '(3) The term "court" refers to all municipal and district courts within this state.\n'
        "SECTION 2. Sec. 2.001. PERMITS.\n"
        "(a) An authority may not require a meeting before an application is filed.\n"
        "(b) An applicant may not file more than one application a day.\n"
        "(c) The court shall not waive the costs of prosecution.\n"
    )
    a = analyze_bill(read_bill(path))
    assert found(a, "An authority may not require a meeting")
    assert not found(a, "An applicant may not file")
    assert not found(a, "The court shall not waive")


# -- duties read because their part of the bill binds local governments -----------------

_BINDS = "A municipality may not adopt an ordinance that regulates development fees."
_DUTIES = [
    "Costs for public services shall be based on the level of service given to existing homes.",
    "The fee schedule must be adopted by the municipality after a public hearing.",
    "A fee collected for an item of infrastructure must be refunded if the item is not built.",
    "Interest charges shall be calculated at the rate the bonds bear.",
    "A development agreement must be approved by right if it complies with this section.",
]


@pytest.mark.parametrize(("duties", "reported"), [(3, True), (5, False)])
def test_a_duty_counts_where_one_sentence_in_five_binds(tmp_path, duties, reported):
    """One binding sentence and three duties: the duties are read as the locality's. One
    and five (one sentence in six binds): a long statute amended in passing, not read so."""
    body = " ".join([_BINDS, *_DUTIES[:duties]]) + "\n"
    analysis = analysis_of(tmp_path, body)
    got = [p for p in analysis.provisions if "review.restriction.section_duty" in p.rules]
    assert len(got) == (duties if reported else 0), [(p.text, p.rules) for p in got]
    if reported:
        p = got[0]
        assert p.confidence == "review" and p.kind == "express"
        assert p.rationale == (
            "states a duty or limit ('shall be based on the level'); no local government is "
            "its subject, but other provisions of SECTION 1, (a) bind local governments"
        )
        # The agent of a passive is the one bound.
        assert got[1].rationale == (
            "binds a municipality; states a duty or limit ('must be adopted by the municipality')"
        )


def test_a_duty_of_someone_else_or_of_a_document_is_not_read(tmp_path):
    body = (
        f"{_BINDS} The department shall adopt rules to implement this section. The notice "
        "must include the date of the hearing. The commission may waive the fee.\n"
    )
    analysis = analysis_of(tmp_path, body)
    assert not [p for p in analysis.provisions if "review.restriction.section_duty" in p.rules]


# -- penalty mechanisms named by the provision's own words -------------------------------

MECHANISMS = [
    (
        "A prevailing plaintiff in an action brought against a municipality under this section "
        "is entitled to recover reasonable attorney fees and costs.",
        {"fee_shifting"},
        {"entity_liability", "private_action"},
    ),
    (
        "A court may award damages and shall award reasonable attorney fees and court costs to "
        "a parent who prevails against a school district under this section.",
        {"fee_shifting", "entity_liability"},
        set(),
    ),
    (
        "The costs of the special magistrate shall be borne by the school district.",
        {"fee_shifting"},
        {"entity_liability"},
    ),
    (
        "The attorney general or any business may bring an action to enjoin a municipality from "
        "enforcing an ordinance adopted in violation of this section.",
        {"private_action", "ag_enforcement", "injunction"},
        set(),
    ),
    (
        "The attorney general of this state or any parent of a minor child enrolled in a school "
        "district may bring a civil action for injunctive relief against the municipality.",
        {"private_action", "ag_enforcement", "injunction"},
        set(),
    ),
    (
        "If a municipality engages in an activity prohibited by Subsection (a), a taxpayer or "
        "resident of the municipality is entitled to appropriate injunctive relief.",
        {"private_action", "injunction"},
        {"ag_enforcement"},
    ),
    (
        "No municipality shall receive more state aid than it received for the preceding year "
        "if it violates this section.",
        {"funding_withheld"},
        set(),
    ),
]


@pytest.mark.parametrize(("sentence", "named", "not_named"), MECHANISMS)
def test_a_penalty_names_each_mechanism_its_words_name(tmp_path, sentence, named, not_named):
    body = f"A municipality may not adopt an ordinance that regulates firearms. {sentence}"
    [p] = found(analysis_of(tmp_path, body), sentence)
    assert named <= set(p.punitive) and not (not_named & set(p.punitive)), p.punitive


def test_a_list_of_exceptions_is_carve_outs_under_its_rule(tmp_path):
    """Florida CS/S.B. 948's (5)(c): "may not impose a regulation that ..., except for: 1. ...;
    2. ...": the lead-in is the prohibition; each item is what stays local."""
    body = (
        "A local government may not impose a regulation that prohibits or restricts lot "
        "splits on a residential lot that contains historic property, except for:\n"
        "1. Regulations relating to building design elements; or\n"
        "2. Regulations that restrict the demolition of a structure listed in the National "
        "Register of Historic Places."
    )
    analysis = analysis_of(tmp_path, body)
    [rule] = found(analysis, "A local government may not impose a regulation")
    assert rule.kind == "express" and rule.lead_in is None
    items = [p for p in analysis.provisions if p.lead_in]
    assert [p.text[:24] for p in items] == ["Regulations relating to ", "Regulations that restric"]
    assert all(p.kind == "savings" and "exception" in p.rationale for p in items)


def test_alternatives_completing_the_lead_in_are_each_a_provision(tmp_path):
    """Pennsylvania H.B. 351: "commits a misdemeanor ... if the official votes in favor of a
    policy of the municipality that: (i) ...; (ii) ...; or (iii) ...": each alternative is an
    act the section punishes, cited and weighed on its own."""
    body = (
        "An elected official of a municipality commits a misdemeanor of the first degree if "
        "the official votes in favor of a policy of the municipality that:\n"
        "(1) permits an activity that is illegal under the laws of this state;\n"
        "(2) prohibits the enforcement of a penalty under the laws of this state; or\n"
        "(3) directs a peace officer to not enforce a law of this state."
    )
    items = [p for p in analysis_of(tmp_path, body).provisions if p.lead_in]
    assert [p.text[:12] for p in items] == ["permits an a", "prohibits th", "directs a pe"]
    assert all("official_criminal" in p.punitive for p in items)


def test_a_further_sentence_of_an_item_does_not_end_the_list(tmp_path):
    """Arizona's s. 42-6004 (S.B. 1033, dev9): "A. A city ... shall not levy a ... tax on: 1.
    Exhibition events ... . This paragraph does not apply to ... 2. Interstate ... 3. Sales
    of warranty ...". The list used to end at item 1's second sentence, so items 2 to 23 lost
    the lead-in and went unreported. A heading or a run of prose still ends a list."""
    path = tmp_path / "az.txt"
    path.write_text(
        "Be it enacted by the Legislature of the State of Arizona:\n"
        "Section 1. Section 42-6004, Arizona Revised Statutes, is amended to read:\n"
        "42-6004. Exemption from municipal tax\n"
        "A. A city, town or special taxing district shall not levy a transaction privilege tax "
        "on:\n"
        "1. Exhibition events in this state sponsored by a nonprofit organization. This "
        "paragraph does not apply to an organization that is owned by a for-profit business.\n"
        "2. Sales of warranty or service contracts.\n"
        "3. Interest on finance contracts.\n"
        "B. The tax rate of a city shall be published each year.\n"
    )
    analysis = analyze_bill(read_bill(path))
    for item in ("Sales of warranty", "Interest on finance"):
        [p] = found(analysis, item)
        assert p.lead_in and p.lead_in.startswith("A city, town or special taxing district")
    [own] = found(analysis, "This paragraph does not apply")
    assert own.lead_in is None and own.kind == "savings"


def test_items_the_rule_excepts_stay_with_their_item(tmp_path):
    """Texas H.B. 76 (dev9): "may not: (1) consider any factor ... other than a factor that:
    (A) is required by law; or (B) is objective ...; or (2) give a preference ...": (A) and
    (B) are what item (1) excepts, read and quoted with it, not rules of their own."""
    body = (
        "A county that procures a good or service may not:\n"
        "(1) consider any factor in the procurement process other than a factor that:\n"
        "(A) is required by law; or\n"
        "(B) is objective and directly related to the cost of the good; or\n"
        "(2) give a preference to a bid based on environmental, social, and governance criteria."
    )
    items = [p for p in analysis_of(tmp_path, body).provisions if p.lead_in]
    assert [p.text[:20] for p in items] == ["consider any factor ", "give a preference to"]
    assert "is required by law" in items[0].text


def test_a_term_defined_by_reference_in_a_local_government_code_binds(tmp_path):
    """Texas H.B. 76 (dev9): '"governmental agency" has the meaning assigned by Section
    271.003', in a section added to the Local Government Code, under a title about "a local
    governmental agency": the statute referred to is not in the bill, but the code and the
    title say the term means local governments. The same words in a state-agency code do
    not bind a locality."""
    text = (
        "H.B. No. 76\nA BILL TO BE ENTITLED\nAN ACT\nrelating to contractor selection.\n"
        "BE IT ENACTED BY THE LEGISLATURE OF THE STATE OF TEXAS:\n"
        "SECTION 1. Subchapter Z, Chapter 271, {code}, is amended by adding Section 271.909 "
        "to read as follows:\n"
        "Sec. 271.909. CERTAIN CONTRACTING CRITERIA PROHIBITED. (a) In this section, "
        '"governmental agency" has the meaning assigned by Section 271.003.\n'
        "(b) A governmental agency may not give a preference to a bid based on environmental, "
        "social, and governance criteria.\n"
        "(c) A person may submit to the attorney general a suspected violation of this "
        "section.\n"
    )
    local = tmp_path / "local.txt"
    local.write_text(text.format(code="Local Government Code"))
    a = analyze_bill(read_bill(local))
    assert found(a, "A governmental agency may not give a preference")
    [report] = found(a, "A person may submit to the attorney general")
    assert report.kind == "punitive" and "ag_enforcement" in report.punitive
    state = tmp_path / "state.txt"
    state.write_text(text.format(code="Government Code"))
    assert not found(analyze_bill(read_bill(state)), "A governmental agency may not give")


def test_a_definitions_list_ends_where_the_section_s_rules_begin():
    """Florida H.B. 399 (enrolled), s. 553.385: "(1) As used in this section, the term: (a)
    ... (b) ... means: 1. ... 2. ... The term does not include ..." and then "(2) An
    off-site constructed residential dwelling must be permitted ...". A definition's further
    sentence must not carry the definitions list on into the section's rules, where it
    swallowed "(3) A local government may not regulate ... based solely on: (a) The method
    of construction; ...".
    """
    path = REAL / "core-states" / "FL" / "FL-HB0399-2026-enrolled.pdf"
    if not path.exists():
        pytest.skip("real corpus not present")
    analysis = analyze_bill(read_bill(path))
    [item] = found(analysis, "The method of construction")
    assert item.confidence == "high" and item.lead_in
    assert item.lead_in.startswith("A local government may not regulate")
    assert found(analysis, "An off-site constructed residential dwelling must")


def test_fees_left_out_of_an_amount_in_controversy_shift_nothing(tmp_path):
    """Texas S.B. 17 (2nd C.S.): a county court's jurisdiction over "civil cases in which
    the matter in controversy exceeds $250,000 ..., excluding interest, statutory or punitive
    damages and penalties, and attorney's fees and costs" measures a claim; once its section
    read as preemptive, each such item came out as high-confidence fee shifting."""
    analysis = analysis_of(
        tmp_path,
        "A county may not adopt an ordinance that regulates the sale of firearms.",
        "A county court has jurisdiction in civil cases in which the matter in controversy "
        "exceeds $250,000, excluding interest, statutory or punitive damages and penalties, "
        "and attorney's fees and costs.",
        "The court shall award the prevailing plaintiff reasonable attorney's fees and costs.",
    )
    assert not any("fee_shifting" in p.punitive for p in found(analysis, "A county court has"))
    [award] = found(analysis, "The court shall award the prevailing plaintiff")
    assert "fee_shifting" in award.punitive


def test_a_local_failure_is_a_limit_unless_it_triggers_a_penalty(tmp_path):
    """Florida H.B. 927: "If the local government fails to process the application within
    the required timeframes, the applicant may use a qualified contractor": what follows a
    local failure is the state's (express). Where the failure triggers a refund or voids a
    contract (Florida H.B. 1143, Texas H.B. 76), the penalty or the declaration is the kind."""
    analysis = analysis_of(
        tmp_path,
        "If the local government fails to process the application within the required "
        "timeframes, the applicant may use a qualified contractor from the registry.",
        "A county must refund ten percent of the application fee if the county fails to issue "
        "a written notification of completeness within 5 days.",
        "If the department fails to process the application, the applicant may appeal.",
    )
    [limit] = found(analysis, "If the local government fails to process")
    assert limit.kind == "express" and "failure_consequence" in " ".join(limit.rules)
    [refund] = found(analysis, "A county must refund ten percent")
    assert refund.kind == "punitive"
    assert not found(analysis, "If the department fails to process")


def test_an_arizona_floor_amendment_is_read_from_its_reprint_in_capitals():
    """Arizona H.B. 4109's floor amendment: a page of research staff's explanation ("5.
    Removes the felonies for a superintendent ...") is a summary, not law: nothing is
    quoted from it. The reprint prints new law in capitals and marks the amendment's changes
    with brackets ("GOVERNING BOARD[] IS GUILTY OF A CLASS [1 MISDEMEANOR]"): a sentence in
    capitals with a verb is text, not a heading, and the brackets are not words."""
    path = (
        REAL
        / "core-states"
        / "AZ"
        / ("AZ-HB4109-2026-amendment-house-floor-amend-to-bill-biasiucci-passed.pdf")
    )
    if not path.exists():
        pytest.skip("real corpus not present")
    analysis = analyze_bill(read_bill(path))
    assert all(p.start.page > 1 for p in analysis.provisions)
    assert found(analysis, "IF A SCHOOL DISTRICT GOVERNING BOARD FAILS TO ADOPT")
    assert found(analysis, "THIS SUBDIVISION DOES NOT LIMIT OR PRECLUDE THE REPORTING")


def test_a_sentence_in_capitals_is_read_but_a_heading_is_not(tmp_path):
    """Capitals alone do not make a heading: "A COUNTY SHALL ADOPT ..." binds."""
    analysis = analysis_of(
        tmp_path,
        "COUNTY PUBLIC SAFETY POLICIES AND PROCEDURES FOR SCHOOL DISTRICTS.",
        "A COUNTY SHALL ADOPT A PUBLIC SAFETY POLICY THAT DESIGNATES THE SHERIFF AS ITS "
        "ADMINISTRATOR.",
    )
    [policy] = found(analysis, "A COUNTY SHALL ADOPT A PUBLIC SAFETY POLICY")
    assert policy.lead_in is None
    assert not found(analysis, "COUNTY PUBLIC SAFETY POLICIES AND PROCEDURES")


def test_a_struck_sentence_after_a_kept_catchline_is_read_as_struck():
    """Pennsylvania H.B. 1150 strikes s. 14.1(a) of the Minimum Wage Act, "Preemption.--(a)
    [Except as set forth in subsection (b), this act shall preempt and supersede any local
    ordinance ...]", and keeps the catchline. The rules read only the catchline and the
    repealed field preemption went unreported."""
    path = REAL / "core-states" / "PA" / "PA-HB1150-2025-PN1241.html"
    if not path.exists():
        pytest.skip("real corpus not present")
    analysis = analyze_bill(read_bill(path))
    [repealed] = found(analysis, "this act shall preempt and supersede any local")
    assert repealed.kind == "field" and repealed.markup == "deleted"


# -- subjects: what a lawyer files the provision under -----------------------------------

SUBJECTS = [
    # the longest phrase wins: "voter-approval tax rate" is a tax, not an election
    (
        "A taxing unit may not adopt a tax rate that exceeds the voter-approval tax rate.",
        {"fiscal"},
    ),
    # "performance bonds" are surety, not public debt
    (
        "A municipality shall accept performance bonds and letters of credit as financial "
        "assurance for a development approval.",
        {"housing.zoning"},
    ),
    # one phrase may name several subjects
    (
        "A municipality may not regulate the terms and conditions of employment.",
        {"labor.wages", "labor.leave", "labor.scheduling", "labor.benefits", "labor.other"},
    ),
    (
        "A municipality may not create a local human relations commission.",
        {"civil_rights"},
    ),
]


@pytest.mark.parametrize(("sentence", "subjects"), SUBJECTS)
def test_a_provision_is_filed_under_the_subjects_its_words_name(tmp_path, sentence, subjects):
    [p] = found(analysis_of(tmp_path, sentence), sentence)
    assert set(p.subjects) == subjects, p.subjects


@pytest.mark.parametrize(
    ("title", "subjects"),
    [
        # a title's topic, not the list of everything the bill changes
        ("relating to transportation; requiring fuel tax decals for motor carriers.", set()),
        ("relating to ad valorem taxes; amending s. 200.065, F.S.", {"fiscal"}),
        # no stated topic: the whole title
        ('Amending the act entitled "An act establishing a fixed minimum wage".', {"labor.wages"}),
    ],
)
def test_a_provision_naming_no_subject_takes_the_titles_topic(tmp_path, title, subjects):
    path = tmp_path / "bill.txt"
    path.write_text(
        f"H.B. No. 1\nA BILL TO BE ENTITLED\nAN ACT\n{title}\n"
        "BE IT ENACTED BY THE LEGISLATURE OF THE STATE OF TEXAS:\n"
        "SECTION 1. Sec. 1.001. TEST PROVISION.\n"
        "(a) A municipality may not adopt an ordinance on the matter.\n"
        "SECTION 2. This Act takes effect September 1, 2025.\n"
    )
    bill = read_bill(path)
    assert bill.meta.title == title
    [p] = analyze_bill(bill).provisions
    assert set(p.subjects) == subjects, p.subjects
    assert ("subjects taken from the bill's title" in p.notes) == bool(subjects)
