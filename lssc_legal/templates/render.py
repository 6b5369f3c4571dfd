"""Render memo templates: Word (.docx, via docxtpl) and Markdown, in a Jinja sandbox.

Templates come from other people, so they render in a sandbox that sees only plain
fields (strings, lists, dicts: see context.FIELDS), may not reach into any object, and may
not include, import or extend other files. A template that tries fails with one line.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx.document import Document as DocxDocument
from docx.table import Table
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate, RichText
from jinja2 import StrictUndefined, TemplateSyntaxError, Undefined
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.exceptions import TemplateError as JinjaTemplateError
from jinja2.runtime import LoopContext
from jinja2.sandbox import SandboxedEnvironment

from ..errors import TemplateError
from ..models import Analysis, RedlineSpan
from .context import FIELDS, Header, memo_context, spaced

HERE = Path(__file__).resolve().parent
BUILTIN: dict[str, tuple[str, str]] = {
    "memo": ("memo.docx", "Technical Bill Analysis memo (Word)"),
    "memo-md": ("memo.md", "Technical Bill Analysis memo (Markdown, for email)"),
    "appendix": ("appendix.docx", "Amicus research appendix (Word, landscape)"),
}
# Top-level fields only an appendix template uses: they tell validate which it is.
_APPENDIX_ROOTS = re.compile(r"(?<![.\w])(appendix|summary|groups|sources)\b")
INSERTED_STYLE = "InsertedText"  # character styles of the template: a firm can restyle them
DELETED_STYLE = "DeletedText"
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_PREFIX = re.compile(r"^(\{[{%])(?:p|tr|tc|r)(?=\s)")
_BLOCKS = ("for", "if", "with", "macro", "filter")
_FORBIDDEN = re.compile(r"^\s*(?:include|import|extends|from)\b")


class _Sandbox(SandboxedEnvironment):
    """Attribute access only to the loop variable and string methods: a field is read as
    `p.quote` (a dict key), never as an attribute of a tool object."""

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if attr.startswith("_"):
            return False
        if isinstance(obj, Undefined):
            return True  # validation's stand-in for an unknown name: it only records
        if isinstance(obj, LoopContext | str):
            return bool(super().is_safe_attribute(obj, attr, value))
        if isinstance(obj, dict):
            return attr in ("items", "keys", "values", "get")
        return False

    def _load_template(self, name: Any, globals: Any) -> Any:
        raise SecurityError("a template may not include, import or extend another file")


def sandbox(undefined: type[Undefined] = StrictUndefined, autoescape: bool = False) -> _Sandbox:
    return _Sandbox(undefined=undefined, autoescape=autoescape, keep_trailing_newline=True)


def template_path(name: str) -> Path:
    if name not in BUILTIN:
        raise TemplateError(name, "is not a built-in template", "see lssc-legal templates list")
    return HERE / BUILTIN[name][0]


def init_template(name: str, dest: Path, force: bool = False) -> Path:
    """Copy a built-in template out for a lawyer to edit."""
    src = template_path(name)
    if dest.is_dir():
        dest = dest / src.name
    if dest.exists() and not force:
        raise TemplateError(dest, "already exists", "choose another path, or give --force")
    shutil.copyfile(src, dest)
    return dest


def rich_text(spans: Sequence[RedlineSpan]) -> RichText:
    """Marked spans as Word runs: inserted and deleted text in the template's styles."""
    rt = RichText()
    for s in spaced(spans):
        style = {"inserted": INSERTED_STYLE, "deleted": DELETED_STYLE}.get(s.mark)
        rt.add(s.text, style=style)
    return rt


def write_memo(
    analysis: Analysis,
    out: Path,
    template: Path | None = None,
    header: Header | None = None,
    corpus: str | None = None,
) -> None:
    """Render the memo into `out` (.docx) from `template` (default: the built-in memo)."""
    path = template or template_path("memo")
    if path.suffix.lower() != ".docx":
        raise TemplateError(path, "is not a Word template", "a .docx memo needs a .docx template")
    tpl = _open(path)
    context = memo_context(analysis, header, rich_text, corpus)
    _render_docx(tpl, path, context, sandbox(StrictUndefined, autoescape=True))
    tpl.save(str(out))


def memo_markdown(
    analysis: Analysis,
    template: Path | None = None,
    header: Header | None = None,
    corpus: str | None = None,
) -> str:
    path = template or template_path("memo-md")
    if path.suffix.lower() == ".docx":
        raise TemplateError(
            path, "is a Word template", "--format md needs a Markdown template (.md)"
        )
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(path, f"cannot be read as a text template ({exc})") from None
    context = memo_context(analysis, header, corpus=corpus)
    try:
        text = sandbox().from_string(source).render(context)
    except JinjaTemplateError as exc:
        lines = [(f"line {i}", line) for i, line in enumerate(source.splitlines(), 1)]
        problem = (_check_tags(lines) or [_problem(lines, exc)])[0]
        raise TemplateError(path, str(problem).removeprefix("template: "), _VALIDATE_HINT) from None
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def write_appendix(fields: dict[str, Any], out: Path, template: Path | None = None) -> None:
    """Render the appendix's fields (appendix.context) into `out` (.docx) from `template`
    (default: the built-in appendix); each bill's source becomes a footnote."""
    from .notes import place_footnotes

    path = template or template_path("appendix")
    if path.suffix.lower() != ".docx":
        raise TemplateError(path, "is not a Word template", "the appendix needs a .docx template")
    tpl = _open(path)
    _render_docx(tpl, path, fields, sandbox(StrictUndefined, autoescape=True))
    notes = {i: s["text"] for i, s in enumerate(fields["sources"], 1)}
    place_footnotes(tpl.docx, notes)  # not get_docx(): it reloads the template
    tpl.save(str(out))


def _open(path: Path) -> DocxTemplate:
    if not path.is_file():
        raise TemplateError(path, "does not exist", "check the path, or see templates list")
    if not zipfile.is_zipfile(path):
        raise TemplateError(path, "is not a Word .docx file", "save it from Word as .docx")
    try:
        tpl = DocxTemplate(str(path))
        tpl.init_docx()
    except Exception as exc:  # python-docx raises many kinds on a damaged package
        raise TemplateError(path, f"cannot be opened as a Word document ({exc})") from None
    return tpl


def _render_docx(tpl: DocxTemplate, path: Path, context: dict[str, Any], env: _Sandbox) -> None:
    places = tag_places(tpl.get_docx())
    problems = _check_tags(places)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise TemplateError(path, f"{problems[0]}{more}", _VALIDATE_HINT)
    try:
        tpl.render(context, env)
    except (SecurityError, UndefinedError) as exc:
        problem = _problem(places, exc)
        hint = "see lssc-legal templates fields" if isinstance(exc, UndefinedError) else ""
        raise TemplateError(path, str(problem).removeprefix("template: "), hint) from None
    except TemplateSyntaxError as exc:
        raise TemplateError(path, f"broken tag syntax ({exc.message})", _VALIDATE_HINT) from None
    except JinjaTemplateError as exc:
        raise TemplateError(path, _jinja_message(exc), _VALIDATE_HINT) from None
    except Exception as exc:  # docxtpl rebuilds the XML: a tag that breaks it lands here
        raise TemplateError(path, f"could not be rendered ({exc})", _VALIDATE_HINT) from None


_FIELDS_HINT = "templates may only use the fields listed by lssc-legal templates fields"
_VALIDATE_HINT = "run lssc-legal templates validate on it to see where"


def _jinja_message(exc: JinjaTemplateError) -> str:
    if isinstance(exc, SecurityError):
        return f"tries to reach inside the tool ({exc})"
    if isinstance(exc, UndefinedError):
        return f"unknown field {_undefined_name(str(exc))!r}"
    line = f" at line {exc.lineno}" if isinstance(exc, TemplateSyntaxError) else ""
    return f"broken tag syntax{line} ({exc.message or exc})"


def _undefined_name(message: str) -> str:
    m = re.search(r"has no attribute '([^']+)'|'([^']+)' is undefined", message)
    return (m.group(1) or m.group(2)) if m else message


# -- validation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    place: str  # "body paragraph 14", "table 1 row 2 cell 3", "header", "footer"
    message: str

    def __str__(self) -> str:
        return f"{self.place}: {self.message}"


def tag_places(document: DocxDocument) -> list[tuple[str, str]]:
    """(place, paragraph text) for every paragraph that holds template tags, in order."""
    found: list[tuple[str, str]] = []

    def visit(place: str, paragraphs: Sequence[Paragraph]) -> None:
        for i, p in enumerate(paragraphs, 1):
            if "{" in p.text or "}" in p.text:
                found.append((place.format(i=i), p.text))

    body_n = table_n = 0
    heading = ""
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            body_n += 1
            after = f" (after the heading {heading!r})" if heading else ""
            visit(f"body paragraph {body_n}{after}", [block])
            if block.style is not None and block.style.name.startswith(("Heading", "Title")):
                heading = block.text.strip()[:60]
        elif isinstance(block, Table):
            table_n += 1
            for r, row in enumerate(block.rows, 1):
                for c, cell in enumerate(row.cells, 1):
                    visit(f"table {table_n} row {r} cell {c}", cell.paragraphs)
    for s, section in enumerate(document.sections, 1):
        for kind, part in (("header", section.header), ("footer", section.footer)):
            if not part.is_linked_to_previous or s == 1:
                visit(f"{kind} of section {s}", part.paragraphs)
    return found


def _place_of(places: list[tuple[str, str]], name: str) -> str:
    """Where an unknown name is used: as an attribute (".qoute") anywhere, else as a
    variable outside any loop that defines it."""
    attr = re.compile(rf"\.{re.escape(name)}\b")
    root = re.compile(rf"(?<![.\w]){re.escape(name)}\b")
    for place, text in places:
        for tag in _TAG.findall(text):
            if attr.search(_expression(tag)):
                return f" in {place}: {tag}"
    scope: list[set[str]] = []
    for place, text in places:
        for tag in _TAG.findall(text):
            expr = _expression(tag)
            words = expr.split()
            if tag.startswith("{%") and words[:1] == ["for"] and "in" in words:
                names = " ".join(words[1 : words.index("in")])
                scope.append({n.strip() for n in names.split(",")})
                expr = " ".join(words[words.index("in") + 1 :])
            elif tag.startswith("{%") and words[:1] == ["endfor"] and scope:
                scope.pop()
                continue
            if root.search(expr) and not any(name in s for s in scope):
                return f" in {place}: {tag}"
    return ""


def _expression(tag: str) -> str:
    """The Jinja inside a tag, without docxtpl's p/tr/tc/r prefix."""
    return _PREFIX.sub(r"\1", tag)[2:-2].strip()


def validate_template(path: Path, analysis: Analysis) -> list[Problem]:
    """Every problem of a .docx (or Markdown) template: broken tag syntax, unbalanced
    blocks, forbidden includes, unknown fields, reaching into objects, each with its place."""
    if path.suffix.lower() in (".md", ".txt", ".j2"):
        return _validate_text(path, analysis)
    tpl = _open(path)
    places = tag_places(tpl.get_docx())
    problems = _check_tags(places)
    if problems:
        return problems
    seen: list[str] = []
    env = sandbox(_recording_undefined(seen), autoescape=True)
    fields = FIELDS
    if is_appendix(places):
        from ..appendix import APPENDIX_FIELDS, build_appendix, context

        fields = APPENDIX_FIELDS
        fill = context(build_appendix([analysis.to_dict()]))
    else:
        fill = memo_context(analysis, None, rich_text)
    try:
        tpl.render(fill, env)
    except JinjaTemplateError as exc:
        return [_problem(places, exc)]
    return _unknown(places, seen, fields)


def is_appendix(places: list[tuple[str, str]]) -> bool:
    """Whether a template's tags are an appendix's (appendix, summary, groups, sources)."""
    return any(
        _APPENDIX_ROOTS.search(_expression(tag)) for _, text in places for tag in _TAG.findall(text)
    )


def _problem(places: list[tuple[str, str]], exc: JinjaTemplateError) -> Problem:
    """A render error with the place of the tag that caused it, when it can be found."""
    found = re.search(r"attribute '([^']+)'", str(exc))
    name = found.group(1) if found else _undefined_name(str(exc))
    where = _place_of(places, name).removeprefix(" in ")
    place, _, tag = where.partition(": ")
    message = _jinja_message(exc) + (f" in {tag}" if tag else "")
    if isinstance(exc, SecurityError):
        message += f"; {_FIELDS_HINT}"
    return Problem(place or "template", message)


def _validate_text(path: Path, analysis: Analysis) -> list[Problem]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(path, f"cannot be read as a text template ({exc})") from None
    places = [(f"line {i}", line) for i, line in enumerate(lines, 1)]
    problems = _check_tags(places)
    if problems:
        return problems
    seen: list[str] = []
    try:
        sandbox(_recording_undefined(seen)).from_string("\n".join(lines)).render(
            memo_context(analysis)
        )
    except JinjaTemplateError as exc:
        return [_problem(places, exc)]
    return _unknown(places, seen)


def _unknown(
    places: list[tuple[str, str]], seen: list[str], fields: dict[str, str] = FIELDS
) -> list[Problem]:
    known = {part for name in fields for part in re.split(r"[.\[\]]+", name) if part}
    problems = []
    for name in dict.fromkeys(seen):
        where = _place_of(places, name).removeprefix(" in ")
        place, _, tag = where.partition(": ")
        hint = _nearest(name, known)
        problems.append(
            Problem(
                place or "template",
                f"unknown field {name!r}{' in ' + tag if tag else ''}"
                f"{f' (did you mean {hint!r}?)' if hint else ''}; see lssc-legal templates fields",
            )
        )
    return problems


def _nearest(name: str, known: set[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.75)
    return close[0] if close else ""


def _check_tags(places: list[tuple[str, str]]) -> list[Problem]:
    """Tag syntax, one tag at a time, so each problem has its place."""
    env = sandbox()
    problems: list[Problem] = []
    stack: list[tuple[str, str]] = []
    for place, text in places:
        rest = _TAG.sub("", text)
        for opener, closer in (("{{", "}}"), ("{%", "%}")):
            if opener in rest or closer in rest:
                problems.append(
                    Problem(place, f"broken tag: {opener} ... {closer} not closed in {text!r}")
                )
                break
        for tag in _TAG.findall(text):
            tag = _PREFIX.sub(r"\1", tag)
            if tag.startswith("{#"):
                continue
            inner = tag[2:-2].strip()
            if tag.startswith("{{"):
                try:
                    env.parse(tag)
                except TemplateSyntaxError as exc:
                    problems.append(Problem(place, f"broken tag {tag}: {exc.message}"))
                continue
            if _FORBIDDEN.match(inner):
                problems.append(Problem(place, f"{tag}: templates may not include or import"))
                continue
            word = inner.split()[0] if inner.split() else ""
            if word in _BLOCKS:
                stack.append((word, place))
            elif word.startswith("end"):
                if not stack or stack[-1][0] != word[3:]:
                    problems.append(Problem(place, f"{tag} has no matching {{% {word[3:]} %}}"))
                else:
                    stack.pop()
            probe = {
                "for": "{% " + inner + " %}{% endfor %}",
                "if": "{% " + inner + " %}{% endif %}",
                "elif": "{% if x %}{% " + inner + " %}{% endif %}",
                "set": "{% " + inner + " %}",
            }.get(word)
            if probe is not None:
                try:
                    env.parse(probe)
                except TemplateSyntaxError as exc:
                    problems.append(Problem(place, f"broken tag {tag}: {exc.message}"))
    for word, place in stack:
        problems.append(Problem(place, f"{{% {word} %}} is never closed with {{% end{word} %}}"))
    return problems


def _recording_undefined(seen: list[str]) -> type[Undefined]:
    """An Undefined that notes each unknown name and renders as nothing, so validation
    finds every unknown field in one pass."""

    class Recording(Undefined):
        def _note(self) -> None:
            if isinstance(self._undefined_exception, type) and issubclass(
                self._undefined_exception, SecurityError
            ):
                self._fail_with_undefined_error()  # reaching inside an object: an error
            seen.append(self._undefined_name or "?")

        def __str__(self) -> str:
            self._note()
            return ""

        def __iter__(self) -> Any:
            self._note()
            return iter(())

        def __bool__(self) -> bool:
            self._note()
            return False

        def __html__(self) -> str:
            return str(self)

        def __getattr__(self, name: str) -> Any:
            if name.startswith("__"):
                raise AttributeError(name)
            self._note()
            return self

    return Recording


def sample_analysis() -> Analysis:
    """The analysis of the example bill shipped with the tool: what validate renders."""
    from ..analyze import analyze_bill
    from ..analyze.rules import corpus_dir
    from ..ingest import read_bill

    return analyze_bill(read_bill(corpus_dir() / "examples" / "tx_hb4312.pdf"))
