"""The layout the next engineer reads (docs/architecture.md): arrows between the packages
point one way, and the light modules stay light."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "lssc_legal"


def _unit(module: str) -> str:
    """The package or top-level module a module belongs to ("analyze", "models")."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _imports() -> dict[str, set[str]]:
    """Each unit's imports of other units, read from the source (module level and inside
    functions alike: a deferred import is still an arrow)."""
    arrows: dict[str, set[str]] = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
            base = parts
        else:
            base = parts[:-1]
        here = _unit(".".join(parts))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    up = base[: len(base) - (node.level - 1)]
                    module = ".".join(up + ([node.module] if node.module else []))
                else:
                    module = node.module or ""
                # "from . import models" names modules; "from .models import Bill" one
                targets = [module] if node.module else [f"{module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            for target in targets:
                if target.startswith("lssc_legal.") and not target.endswith(".__version__"):
                    there = _unit(target)
                    if there != here:
                        arrows[here].add(there)
    return arrows


def _cycle(arrows: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(arrows.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return None

    for start in sorted(arrows):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_no_import_cycle_between_packages():
    arrows = _imports()
    assert "analyze" in arrows["compare"] and "models" in arrows["ingest"]  # the walk reads
    assert _cycle(arrows) is None, " -> ".join(_cycle(arrows) or [])


def test_the_walk_finds_a_cycle_when_there_is_one():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}}) is None


def test_light_modules_do_not_load_spacy():
    """The corpus's place, the text diff, markup and every writer of what a reader sees load
    in a blink: spaCy (about a second) is loaded only by the analysis itself."""
    code = (
        "import sys\n"
        "import lssc_legal.corpusdir, lssc_legal.textdiff, lssc_legal.markup\n"
        "import lssc_legal.render.comparison, lssc_legal.batch, lssc_legal.config\n"
        "import lssc_legal.render.memo, lssc_legal.render.redline, lssc_legal.render.appendix\n"
        "import lssc_legal.appendix, lssc_legal.batch.store, lssc_legal.analyze.principles\n"
        "heavy = ('spacy', 'lssc_legal.analyze.rules', 'lssc_legal.analyze.classify')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_the_memo_quotes_the_analysis_and_never_reads_the_corpus(monkeypatch):
    """Principle texts, rule rationales and where model language appeared travel with the
    analysis (and its JSON), so a memo, or an appendix drawn from a store, quotes the
    corpus the analysis used."""
    import lssc_legal.analyze.model_language as model_language
    import lssc_legal.analyze.principles as principles
    import lssc_legal.analyze.rules as rules
    from lssc_legal.analyze import analyze_bill
    from lssc_legal.corpusdir import corpus_dir
    from lssc_legal.ingest import read_bill
    from lssc_legal.render.memo import memo_markdown

    analysis = analyze_bill(read_bill(corpus_dir() / "examples" / "tx_hb4312.pdf"))
    assert analysis.principles and analysis.rule_rationales and len(analysis.corpus) == 12

    def no(*_args: object) -> None:
        raise AssertionError("the memo read the corpus")

    for module, name in [(principles, "load_principles"), (model_language, "load_model_language"),
                         (rules, "engine")]:  # fmt: skip
        monkeypatch.setattr(module, name, no)
    memo = memo_markdown(analysis)
    assert analysis.principles[0].statement[:40] in memo
    assert "rule express.target_may_not" in memo.split("## Method and limits")[1]
    data = analysis.to_dict()
    assert data["rules"]["express.target_may_not"] and data["corpus"] == analysis.corpus


OUTPUT_LIBRARIES = {"docx", "docxtpl", "jinja2", "lxml", "openpyxl", "rich"}


def test_only_render_imports_the_output_libraries():
    """Word, Excel, templates and the terminal are written in one place (lssc_legal/render)."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module]
            if any(n.split(".")[0] in OUTPUT_LIBRARIES for n in names):
                found.add(path.relative_to(PACKAGE).parts[0])
    assert found == {"render"}, found


def test_a_stored_provision_reads_back_as_the_model():
    """After the store, provisions are models again (Provision.from_dict), not dictionaries
    whose pinpoints each reader rebuilds; an older analysis's missing fields take defaults."""
    from dataclasses import replace

    from lssc_legal.analyze import analyze_bill
    from lssc_legal.corpusdir import corpus_dir
    from lssc_legal.ingest import read_bill
    from lssc_legal.models import Provision

    analysis = analyze_bill(read_bill(corpus_dir() / "examples" / "tx_hb4312.pdf"))
    for p in analysis.provisions:
        assert Provision.from_dict(p.to_dict()) == replace(p, offsets=(0, 0))
    old = analysis.provisions[0].to_dict()
    for key in ("confidence", "rationale", "lead_in", "notes"):
        old.pop(key)
    back = Provision.from_dict(old)
    assert (back.confidence, back.rationale, back.lead_in, back.notes) == ("high", "", None, ())
