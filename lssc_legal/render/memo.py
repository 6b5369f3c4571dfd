"""Render memo templates: Word (.docx, via docxtpl) and Markdown, in a Jinja sandbox.

Templates come from other people, so they render in a sandbox that sees only plain
fields (strings, lists, dicts: see context.FIELDS), may not reach into any object, and may
not include, import or extend other files; and within a budget (sandbox.py) of what it may
write and build, how often it may loop and how long it may take. A template that tries, or
fails in any other way, fails with one line that names the file and, when it can be found,
the tag.
"""

from __future__ import annotations

import html
import io
import re
import shutil
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate, RichText
from jinja2 import StrictUndefined, TemplateSyntaxError, Undefined
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.exceptions import TemplateError as JinjaTemplateError
from jinja2.runtime import LoopContext

from ..errors import TemplateError
from ..markup import spaced
from ..models import Analysis, RedlineSpan
from .context import FIELDS, Header, memo_context
from .sandbox import BUDGET_HINT, BudgetedSandbox, BudgetError, NotTextError

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


class _Sandbox(BudgetedSandbox):
    """Attribute access only to the loop variable and string methods: a field is read as
    `p.quote` (a dict key), never as an attribute of a tool object. The work it may do is
    bounded by budget.BudgetedSandbox."""

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
) -> None:
    """Render the memo into `out` (.docx) from `template` (default: the built-in memo)."""
    path = template or template_path("memo")
    if path.suffix.lower() != ".docx":
        raise TemplateError(path, "is not a Word template", "a .docx memo needs a .docx template")
    tpl = open_template(path)
    context = memo_context(analysis, header, rich_text, comment_mark)
    render_docx(tpl, path, context, sandbox(StrictUndefined, autoescape=True))
    # Read back as written (docxtpl's document keeps its body from before the render), then
    # the comments and the contents are added.
    rendered = io.BytesIO()
    tpl.save(rendered)
    document = docx.Document(rendered)
    place_comments(document, context["comments"])
    write_contents(document)
    document.save(str(out))


COMMENT_AUTHOR = "lssc-legal (method)"
_COMMENT = re.compile("\u27e6comment (\\d+)\u27e7")


def comment_mark(n: int) -> str:
    """Where comment n belongs in a rendered Word memo ("⟦comment 3⟧"): `place_comments`
    turns it into a Word comment on its paragraph."""
    return f"\u27e6comment {n}\u27e7"


def place_comments(document: DocxDocument, comments: Sequence[str]) -> int:
    """Each comment mark becomes a Word comment anchored on the text of its paragraph (the
    quote it follows), written by COMMENT_AUTHOR: how the tool found the provision stays
    beside it for the reviewing lawyer and out of the text a client reads. Returns how
    many were placed; a mark with no comment is removed."""
    placed = 0
    for paragraph in _all_paragraphs(document):
        if "\u27e6comment" not in paragraph.text:
            continue
        numbers: list[str] = []
        for run in paragraph.runs:
            if "\u27e6comment" in run.text:
                numbers += _COMMENT.findall(run.text)
                run.text = _COMMENT.sub("", run.text)
        runs = [r for r in paragraph.runs if r.text.strip()]
        for n in map(int, numbers):
            if 1 <= n <= len(comments) and runs:
                document.add_comment(
                    runs, text=comments[n - 1], author=COMMENT_AUTHOR, initials="LL"
                )
                placed += 1
    return placed


def _all_paragraphs(document: DocxDocument) -> list[Paragraph]:
    found = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                found += cell.paragraphs
    return found


def write_contents(document: DocxDocument) -> None:
    """Fill the table-of-contents field's shown text with the memo's headings (levels 1 and
    2), so that a viewer that does not update fields (LibreOffice, a phone, a PDF made
    without Word) shows the contents; updating the field in Word (F9) replaces it with the
    contents and their page numbers. A template without a TOC field is left as it is."""
    levels = {}
    for st in document.styles:
        if st.type == WD_STYLE_TYPE.PARAGRAPH and st.name in ("Heading 1", "Heading 2"):
            levels[st.style_id] = int(st.name[-1])
    headings = [
        (levels[p._p.style], p.text.strip())
        for p in document.paragraphs
        if p._p.style in levels and p.text.strip()
    ]
    for paragraph in document.paragraphs:
        instr = "".join(t.text or "" for t in paragraph._p.iter(qn("w:instrText")))
        if "TOC" not in instr or not headings:
            continue
        runs = paragraph._p.findall(qn("w:r"))
        # The field's result: the runs between its "separate" and "end" marks.
        state, result = "", []
        for r in runs:
            kinds = [c.get(qn("w:fldCharType")) for c in r.iter(qn("w:fldChar"))]
            if "separate" in kinds:
                state = "result"
                continue
            if "end" in kinds:
                break
            if state == "result":
                result.append(r)
        if not result:
            return
        first = result[0]
        for r in result[1:]:
            paragraph._p.remove(r)
        for child in list(first):
            if child.tag != qn("w:rPr"):
                first.remove(child)
        for i, (level, text) in enumerate(headings):
            if i:
                first.append(OxmlElement("w:br"))
            t = OxmlElement("w:t")
            t.set(qn("xml:space"), "preserve")
            t.text = ("\u2003" if level == 2 else "") + text
            first.append(t)
        return


def memo_markdown(
    analysis: Analysis,
    template: Path | None = None,
    header: Header | None = None,
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
    context = memo_context(analysis, header)
    env = sandbox()
    env.start(context)
    try:
        text = env.from_string(source).render(context)
    except Exception as exc:  # the template's doing: a bad tag, or past its budget
        lines = [(f"line {i}", line) for i, line in enumerate(source.splitlines(), 1)]
        hint = _VALIDATE_HINT
        if isinstance(exc, JinjaTemplateError) and not isinstance(exc, BudgetError):
            problem = (_check_tags(lines) or [_problem(lines, exc)])[0]
        elif _template_line(exc) is None and (problems := _check_tags(lines)):
            problem = problems[0]  # Jinja could not even compile it: a tag nested too deep
        else:
            problem, hint = _text_failure(lines, exc), _failure_hint(exc)
        raise TemplateError(path, str(problem).removeprefix("template: "), hint) from None
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def open_template(path: Path) -> DocxTemplate:
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


def render_docx(tpl: DocxTemplate, path: Path, context: dict[str, Any], env: _Sandbox) -> None:
    places = tag_places(tpl.get_docx())
    problems = _check_tags(places)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise TemplateError(path, f"{problems[0]}{more}", _VALIDATE_HINT)
    env.start(context)
    try:
        tpl.render(context, env)
    except (SecurityError, UndefinedError) as exc:
        problem = _problem(places, exc)
        hint = "see lssc-legal templates fields" if isinstance(exc, UndefinedError) else ""
        raise TemplateError(path, str(problem).removeprefix("template: "), hint) from None
    except TemplateSyntaxError as exc:
        raise TemplateError(path, f"broken tag syntax ({exc.message})", _VALIDATE_HINT) from None
    except JinjaTemplateError as exc:
        if not isinstance(exc, BudgetError):
            raise TemplateError(path, _jinja_message(exc), _VALIDATE_HINT) from None
        problem = _docx_failure(tpl, places, exc)
        message = str(problem).removeprefix("template: ")
        raise TemplateError(path, message, _failure_hint(exc)) from None
    except Exception as exc:  # past the budget in Python (RecursionError, MemoryError...),
        # or docxtpl rebuilding the XML that a tag broke
        problem = _docx_failure(tpl, places, exc)
        message = str(problem).removeprefix("template: ")
        raise TemplateError(path, message, _failure_hint(exc)) from None


_FIELDS_HINT = "templates may only use the fields listed by lssc-legal templates fields"
_VALIDATE_HINT = "run lssc-legal templates validate on it to see where"


def _jinja_message(exc: JinjaTemplateError) -> str:
    if isinstance(exc, BudgetError):
        return exc.message or "goes past the budget of a template"
    if isinstance(exc, SecurityError):
        return f"tries to reach inside the tool ({exc})"
    if isinstance(exc, UndefinedError):
        return f"unknown field {_undefined_name(str(exc))!r}"
    line = f" at line {exc.lineno}" if isinstance(exc, TemplateSyntaxError) else ""
    return f"broken tag syntax{line} ({exc.message or exc})"


def _undefined_name(message: str) -> str:
    m = re.search(r"has no attribute '([^']+)'|'([^']+)' is undefined", message)
    return (m.group(1) or m.group(2)) if m else message


# -- failures past the budget, or in Python itself ----------------------------------------------


def _failure_reason(exc: BaseException) -> str:
    """What went wrong, as a phrase that follows the tag; never empty."""
    if isinstance(exc, JinjaTemplateError):
        return _jinja_message(exc)
    detail = next((a for a in reversed(exc.args) if isinstance(a, str) and a), "") or str(exc)
    if isinstance(exc, RecursionError):
        return "calls macros or loops within loops too deeply (a runaway recursion?)"
    if isinstance(exc, MemoryError):
        return "needs more memory than this computer has"
    if isinstance(exc, OverflowError):
        return f"makes a number too large to compute ({detail or 'overflow'})"
    if isinstance(exc, ValueError) and "integer string conversion" in detail:
        return "makes a number too long to write"
    return f"fails ({detail or type(exc).__name__})"


def _failure_hint(exc: BaseException) -> str:
    if isinstance(exc, NotTextError):
        return NotTextError.hint
    budget = isinstance(exc, BudgetError | RecursionError | MemoryError | OverflowError)
    return BUDGET_HINT if budget else _VALIDATE_HINT


def _template_line(exc: BaseException) -> int | None:
    """The template line that raised `exc`: Jinja rewrites the traceback so that each frame
    of template code names its template line; the innermost is the tag that failed."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _failed_tags(text: str) -> str:
    """The tags of a line of template that can fail, for the message: the one that failed is
    among them ({% endfor %}, {% else %} and comments cannot fail)."""
    tags = [_PREFIX.sub(r"\1", tag) for tag in _TAG.findall(text)]
    shown = " ".join(t for t in tags if not _INERT.match(t))
    return shown if len(shown) <= 120 else shown[:119] + "…"


_INERT = re.compile(r"\{#|\{%-?\s*(?:end\w+|else)\s*-?%\}$")


def _text_failure(places: list[tuple[str, str]], exc: BaseException) -> Problem:
    """A failure of a text template, at the line that raised it."""
    line = _template_line(exc)
    reason = _failure_reason(exc)
    if line is None or not 0 < line <= len(places):
        return Problem("template", reason)
    place, text = places[line - 1]
    tags = _failed_tags(text)
    return Problem(place, f"{tags} {reason}" if tags else reason)


def _docx_failure(tpl: DocxTemplate, places: list[tuple[str, str]], exc: BaseException) -> Problem:
    """A failure of a Word template, at the paragraph that raised it: the line Jinja names is
    a line of the XML docxtpl gave it, which holds one paragraph."""
    reason = _failure_reason(exc)
    line = _template_line(exc)
    tags = _failed_tags(_docx_line(tpl, line)) if line is not None else ""
    if not tags:
        if reason.startswith("fails (") and line is None:  # not in a tag: docxtpl's own XML work
            reason = "could not be rendered" + reason.removeprefix("fails")
        return Problem("template", reason)
    first = _TAG.findall(tags)[0].translate(_STRAIGHT)
    place = next((p for p, t in places if first in _failed_tags(t).translate(_STRAIGHT)), "")
    return Problem(place or "template", f"{tags} {reason}")


_STRAIGHT = str.maketrans("‘’“”", "''\"\"")  # Word's quotes, which docxtpl straightens


def _docx_line(tpl: DocxTemplate, line: int) -> str:
    """The text of one line of the XML of the part docxtpl was rendering, as docxtpl gave it to
    Jinja; "" when it cannot be had."""
    try:
        part = tpl.current_rendering_part
        xml = tpl.get_xml() if part is tpl.docx._part else tpl.get_part_xml(part)
        xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(xml))
        return html.unescape(re.sub(r"<[^>]+>", "", xml.splitlines()[line - 1]))
    except Exception:  # a best effort for the message: never a second failure
        return ""


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

    # Heading styles by id, read once: python-docx's Paragraph.style looks through every
    # style of the document for each paragraph (two thirds of a memo's render time).
    headings = {
        s.style_id
        for s in document.styles
        if s.type == WD_STYLE_TYPE.PARAGRAPH and (s.name or "").startswith(("Heading", "Title"))
    }
    body_n = table_n = 0
    heading = ""
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            body_n += 1
            after = f" (after the heading {heading!r})" if heading else ""
            visit(f"body paragraph {body_n}{after}", [block])
            if block._p.style in headings:
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
    tpl = open_template(path)
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
    env.start(fill)
    try:
        tpl.render(fill, env)
    except JinjaTemplateError as exc:
        if not isinstance(exc, BudgetError):
            return [_problem(places, exc)]
        return [_docx_failure(tpl, places, exc)]
    except Exception as exc:  # past the budget in Python: RecursionError, MemoryError...
        return [_docx_failure(tpl, places, exc)]
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
    env = sandbox(_recording_undefined(seen))
    fill = memo_context(analysis)
    env.start(fill)
    try:
        env.from_string("\n".join(lines)).render(fill)
    except JinjaTemplateError as exc:
        if not isinstance(exc, BudgetError):
            return [_problem(places, exc)]
        return [_text_failure(places, exc)]
    except Exception as exc:  # past the budget in Python: RecursionError, MemoryError...
        return [_text_failure(places, exc)]
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
                problem = _parse_problem(env, tag, tag, place)
                if problem is not None:
                    problems.append(problem)
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
                problem = _parse_problem(env, probe, tag, place)
                if problem is not None:
                    problems.append(problem)
    for word, place in stack:
        problems.append(Problem(place, f"{{% {word} %}} is never closed with {{% end{word} %}}"))
    return problems


def _parse_problem(env: _Sandbox, source: str, tag: str, place: str) -> Problem | None:
    shown = tag if len(tag) <= 120 else tag[:119] + "…"
    try:
        env.parse(source)
    except TemplateSyntaxError as exc:
        return Problem(place, f"broken tag {shown}: {exc.message}")
    except (RecursionError, MemoryError):  # Jinja's parser recurses on each bracket
        return Problem(place, f"broken tag {shown}: brackets nested too deeply")
    return None


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
    from ..corpusdir import corpus_dir
    from ..ingest import read_bill

    return analyze_bill(read_bill(corpus_dir() / "examples" / "tx_hb4312.pdf"))
