"""A render budget: how much work a template may make the tool do.

The sandbox (render._Sandbox) keeps a template from reaching into the tool; this keeps it
from running the tool out of time or memory. Every render gets a `Budget`, and the sandbox
charges it as the template runs:

- what the template writes, piece by piece, as it writes it (not once it is all built);
- what it builds on the way: `*`, `+`, `%`, `~`, filters and string methods whose result
  would pass the limit are refused before they run;
- loop iterations, counted across the whole render, and the length of one `range()`;
- the wall time of the render, looked at in each of these hooks (no signal, no thread: it
  works the same in a worker process);
- how deep macros call one another, and how long a number may grow.

A template that passes a limit stops with a `BudgetError`; render turns it, and any other
error the template causes, into one line that names the template and the tag.

The limits for text, loops and time grow with the fields given to the template, so that the
memo of a thousand-page bill is not refused for its size while a hostile template on a
small bill still stops within a few MB and a fraction of a second.
"""

from __future__ import annotations

import inspect
import math
import re
import string
import time
from collections.abc import Callable, Iterable, Iterator, Sized
from functools import update_wrapper
from itertools import islice
from typing import Any

from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.exceptions import TemplateError as JinjaTemplateError
from jinja2.runtime import Context, LoopContext, Undefined
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import _PassArg

# Characters a render may write, and separately build in values along the way, before it is
# stopped: the base, plus OUTPUT_PER_FIELD_CHAR per character of the fields it is given. The
# Word memo of a 100-page, 675-provision bill writes 2.7 MB of XML from 3.5 MB of fields.
MAX_TEXT = 4_000_000
OUTPUT_PER_FIELD_CHAR = 8
# Loop iterations, all loops of a render together: the base, plus one per field character.
# The built-in memo loops a few times per provision.
MAX_ITERATIONS = 1_000_000
ITERATIONS_PER_FIELD_CHAR = 1
# Wall time of one render (Word: all its parts), plus this per million field characters. The
# 675-provision memo renders in under 2 s.
MAX_SECONDS = 20.0
SECONDS_PER_MILLION_FIELD_CHARS = 10.0
# Numbers in one range(): a memo counts provisions, not millions (Jinja's own cap: 100,000).
MAX_RANGE = 10_000
# Macros calling macros (or a recursive loop calling itself): deeper is a runaway recursion,
# stopped before Python's own limit.
MAX_DEPTH = 50
# Digits of a number a template computes with `*` or `**`: a memo counts sections and dollars;
# 10**(10**10) would take the machine hours. (Jinja reads 10**10**10 as (10**10)**10, a
# googol: refused too.)
MAX_DIGITS = 100

BUDGET_HINT = "a template may not build huge texts, loop without end or recurse; simplify that tag"
_POINTER = 8  # what one element of a list costs, in the units of MAX_TEXT (about a byte)
_LOG2_10 = math.log2(10)


class BudgetError(JinjaTemplateError):
    """A template went past one of its limits. The message says what it did, as a phrase that
    follows the tag: "{{ 'x' * 10**9 }} `*` would make 1,000,000,000 more characters..."."""


def _fields_size(value: Any) -> int:
    return weight(value, 10**15, strict=False)


class Budget:
    """What one render has used, against its limits (set from the module's constants when it
    starts, so a test can lower them)."""

    def __init__(self, fields: Any = None) -> None:
        size = _fields_size(fields) if fields is not None else 0
        self.max_text = MAX_TEXT + OUTPUT_PER_FIELD_CHAR * size
        self.max_iterations = MAX_ITERATIONS + ITERATIONS_PER_FIELD_CHAR * size
        self.max_seconds = MAX_SECONDS + SECONDS_PER_MILLION_FIELD_CHARS * size / 1_000_000
        self.deadline = time.monotonic() + self.max_seconds
        self.written = 0
        self.built = 0
        self.iterations = 0
        self.depth = 0

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise BudgetError(f"takes more than {self.max_seconds:.3g} seconds to render")

    def write(self, text: str) -> None:
        self.written += len(text)
        if self.written > self.max_text:
            raise BudgetError(
                f"writes more than {self.max_text:,} characters, the most this render may write"
            )
        self.tick()

    def build(self, size: int, what: str) -> None:
        """Charge text about to be built, of about `size` characters."""
        if size > self.max_text - self.built:
            raise BudgetError(
                f"{what} would make {size:,} more characters, past the {self.max_text:,} "
                "this render may build in all"
            )
        self.built += max(size, 0)

    def build_list(self, items: int, what: str) -> None:
        """Charge a list about to be built, of `items` elements."""
        if _POINTER * items > self.max_text - self.built:
            raise BudgetError(
                f"{what} would make a list of {items:,} items, past the "
                f"{self.max_text // _POINTER:,} this render may build in all"
            )
        self.built += _POINTER * max(items, 0)

    def built_value(self, value: Any, what: str) -> None:
        """Charge a value already built by code that could not be bounded beforehand."""
        if isinstance(value, str | bytes):
            self.build(len(value), what)
        elif isinstance(value, list | tuple | dict):
            self.build_list(len(value), what)

    def iterate(self) -> None:
        self.iterations += 1
        if self.iterations > self.max_iterations:
            raise BudgetError(f"loops more than {self.max_iterations:,} times")
        if not self.iterations & 0xFF:
            self.tick()

    def text_of(self, value: Any, what: str) -> int:
        """The characters `value` turns into as text; a function or tool object, which would
        print the tool's insides, is refused. `what` is a verb phrase: "writes", "|string
        gets"."""
        size = weight(value, self.max_text, strict=True, what=what)
        if size > self.max_text:
            raise BudgetError(f"{what} more than {self.max_text:,} characters of text")
        return size


class NotTextError(BudgetError):
    """A template wrote a function or a tool object, whose text would be the tool's insides."""

    hint = "write a field instead, or call the function; lssc-legal templates fields lists them"


def _not_text(value: Any, what: str) -> NotTextError:
    if callable(value):
        return NotTextError(f"{what} a function, not text")
    if isinstance(value, Iterable):
        return NotTextError(f"{what} a sequence that was never joined: add |join(', ')")
    return NotTextError(f"{what} an object that is not text")


def weight(value: Any, limit: int, strict: bool, what: str = "writes") -> int:
    """About the characters str(value) takes (a list: the repr of its elements), counted
    until `limit` is passed. Strict: a value that is not text, a number, a list or a dict of
    those (a function, a class, a generator, a loop) is refused."""
    total = 0
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            total += len(v) + 2
        elif isinstance(v, Undefined) or v is None or isinstance(v, bool | float):
            total += 5
        elif isinstance(v, int):
            total += _digits(v) + 1
        elif isinstance(v, list | tuple):
            total += 2 + 2 * len(v)
            stack.extend(v)
        elif isinstance(v, dict):
            total += 2 + 4 * len(v)
            stack.extend(v.keys())
            stack.extend(v.values())
        elif hasattr(v, "__html__"):  # Markup-like: docxtpl's RichText in a Word memo
            total += len(str(v))
        elif strict:
            raise _not_text(v, what)
        else:
            total += 100
        if total > limit:
            break
    return total


def _digits(n: int) -> int:
    return int(abs(n).bit_length() / _LOG2_10) + 1


def _number(n: Any) -> int:
    """An int argument, or 0 when it is not one (then Python refuses it as it would)."""
    return n if isinstance(n, int) and not isinstance(n, bool) else 0


# -- the code generator: writes, concatenations and loops go through the budget ---------------


class BudgetCodeGenerator(CodeGenerator):
    """Jinja's code generator, with every piece of output (in the template, in a macro, in a
    {% set %} block) passed through environment.budget_write before it is kept, every `~`
    through environment.budget_concat, and every loop's iterable through
    environment.budget_iter (called as a function, so through the sandbox's call)."""

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        for loop in list(node.find_all(nodes.For)):
            if not _is_counted(loop.iter):
                call = nodes.EnvironmentAttribute("budget_iter", lineno=loop.iter.lineno)
                loop.iter = nodes.Call(call, [loop.iter], [], None, None, lineno=loop.iter.lineno)
        super().visit_Template(node, frame)

    def _output_const_repr(self, group: Iterable[Any]) -> str:
        return f"environment.budget_write({super()._output_const_repr(group)})"

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        self.write("environment.budget_write(")
        super()._output_child_pre(node, frame, finalize)
        self.write("environment.budget_value(")

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        self.write(")")
        super()._output_child_post(node, frame, finalize)
        self.write(")")

    @optimizeconst
    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            join = "markup_join"
        else:
            join = "str_join"
        self.write(f"environment.budget_concat({join}, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


def _is_counted(node: nodes.Node) -> bool:
    return (
        isinstance(node, nodes.Call)
        and isinstance(node.node, nodes.EnvironmentAttribute)
        and node.node.name == "budget_iter"
    )


# -- the environment --------------------------------------------------------------------------

_PRINTF = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_SPEC_NUMBER = re.compile(r"\d+")


class BudgetedSandbox(SandboxedEnvironment):
    """A sandbox that charges a `Budget` for the template's work. `start(fields)` gives a
    render a fresh budget sized to its fields; until then a base budget applies."""

    code_generator_class = BudgetCodeGenerator
    intercepted_binops = frozenset(("+", "*", "**", "%"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.budget = Budget()
        # lipsum writes pages of filler and prints as a function: a memo has no use for it.
        del self.globals["lipsum"]
        self.globals["range"] = self.budget_range
        self.filters = {name: self._bounded_filter(name, f) for name, f in self.filters.items()}

    def start(self, fields: Any) -> None:
        self.budget = Budget(fields)

    # hooks called from the compiled template

    def budget_write(self, text: str) -> str:
        self.budget.write(text)
        return text

    def budget_value(self, value: Any) -> Any:
        """A value about to be written: text, a number, or a list or dict of those."""
        if isinstance(value, str | Undefined):
            return value
        self.budget.text_of(value, "writes")
        return value

    def budget_concat(self, join: Callable[[Iterable[Any]], str], parts: tuple[Any, ...]) -> str:
        budget = self.budget
        budget.tick()
        size = sum(budget.text_of(part, "`~` joins") for part in parts)
        budget.build(size, "`~`")
        return join(parts)

    def budget_iter(self, iterable: Any) -> Iterator[Any]:
        budget = self.budget
        for item in iterable:
            budget.iterate()
            yield item

    def budget_range(self, *args: int) -> range:
        numbers = range(*args)
        if len(numbers) > MAX_RANGE:
            raise BudgetError(
                f"counts {len(numbers):,} numbers with range(); a template may count to "
                f"{MAX_RANGE:,}"
            )
        return numbers

    # the sandbox's own hooks

    def call(
        __self,  # Jinja's signature: the double underscores make these positional-only
        __context: Context,
        __obj: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        budget = __self.budget
        budget.tick()
        if isinstance(__obj, LoopContext) and args:  # loop(children) in a recursive loop
            args = (__self.budget_iter(args[0]), *args[1:])
        args = __self._check_str_method(__obj, args, kwargs)
        budget.depth += 1
        try:
            if budget.depth > MAX_DEPTH:
                raise BudgetError(f"calls macros more than {MAX_DEPTH} deep (a runaway recursion?)")
            result = super().call(__context, __obj, *args, **kwargs)
        finally:
            budget.depth -= 1
        budget.built_value(result, "the call")
        return result

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        budget = self.budget
        budget.tick()
        if operator == "*":
            self._check_times(left, right)
        elif operator == "+":
            if isinstance(left, str | bytes) and isinstance(right, str | bytes):
                budget.build(len(left) + len(right), "`+`")
            elif isinstance(left, list | tuple) and isinstance(right, list | tuple):
                budget.build_list(len(left) + len(right), "`+`")
        elif operator == "**":
            self._check_power(left, right)
        elif operator == "%" and isinstance(left, str):
            args = right if isinstance(right, tuple) else (right,)
            budget.build(_printf_size(budget, left, args), "`%`")
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapper = super().wrap_str_format(value)
        if wrapper is None:
            return None
        fmt: str = value.__self__
        is_map = value.__name__ == "format_map"
        inner = wrapper

        def checked(*args: Any, **kwargs: Any) -> str:
            self.budget.tick()
            fields = args[0] if is_map and args else kwargs
            budget = self.budget
            budget.build(_format_size(budget, fmt, args if not is_map else (), fields), "format")
            return inner(*args, **kwargs)

        return update_wrapper(checked, value)

    # checks

    def _check_times(self, left: Any, right: Any) -> None:
        seq, n = (left, right) if isinstance(right, int) else (right, left)
        if not isinstance(n, int):
            return
        if isinstance(seq, str | bytes):
            self.budget.build(len(seq) * max(n, 0), "`*`")
        elif isinstance(seq, list | tuple):
            self.budget.build_list(len(seq) * max(n, 0), "`*`")
        elif isinstance(seq, int):
            digits = _digits(seq) + _digits(n)
            if digits > MAX_DIGITS:
                raise BudgetError(_too_many_digits("`*`", digits))

    def _check_power(self, base: Any, exp: Any) -> None:
        if not isinstance(base, int) or not isinstance(exp, int) or exp <= 0 or abs(base) <= 1:
            return  # floats overflow on their own; negative powers are floats
        digits = int(exp * math.log10(abs(base))) + 1
        if digits > MAX_DIGITS:
            raise BudgetError(_too_many_digits("`**`", digits))

    def _check_str_method(
        self, obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> tuple[Any, ...]:
        """center, join, replace and the like: the size of what they would make."""
        s = getattr(obj, "__self__", None)
        name = getattr(obj, "__name__", "")
        if not isinstance(s, str):
            return args
        budget = self.budget
        what = f".{name}()"
        if name in ("center", "ljust", "rjust", "zfill"):
            width = _number(args[0] if args else kwargs.get("width"))
            budget.build(max(len(s), width), what)
        elif name == "expandtabs":
            tabsize = _number(args[0] if args else kwargs.get("tabsize", 8))
            budget.build(len(s) + s.count("\t") * tabsize, what)
        elif name == "replace" and len(args) >= 2:
            count = args[2] if len(args) > 2 else kwargs.get("count", -1)
            budget.build(_replaced(s, args[0], args[1], count), what)
        elif name == "join" and args:
            items = _listed(args[0])
            size = sum(budget.text_of(item, f"{what} joins") for item in items)
            budget.build(size + len(s) * len(items), what)
            return (items, *args[1:])
        elif name == "translate" and args:
            table = args[0]
            values = table.values() if isinstance(table, dict) else table
            if not isinstance(values, Iterable):
                return args
            longest = max([1, *(len(v) for v in _listed(values) if isinstance(v, str))])
            budget.build(len(s) * longest, what)
        return args

    # filters

    def _bounded_filter(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        check = _FILTER_CHECKS.get(name)
        signature = _user_signature(func) if check else None
        stringifies = name in _STRINGIFYING
        skip = 1 if _PassArg.from_obj(func) is not None else 0  # the context Jinja passes
        what = f"|{name}"

        def bounded(*args: Any, **kwargs: Any) -> Any:
            budget = self.budget
            budget.tick()
            if stringifies and len(args) > skip:
                budget.text_of(args[skip], f"{what} gets")
            if check is not None and signature is not None:
                try:
                    bound = signature.bind(*args[skip:], **kwargs)
                except TypeError:
                    pass  # the filter will refuse its arguments itself
                else:
                    bound.apply_defaults()
                    check(budget, bound.arguments, what)
                    args, kwargs = (*args[:skip], *bound.args), bound.kwargs
            result = func(*args, **kwargs)
            budget.built_value(result, what)
            return result

        return update_wrapper(bounded, func)


def _printf_size(budget: Budget, fmt: str, args: tuple[Any, ...]) -> int:
    """What `fmt % args` can make: each conversion may take all of the arguments (a mapping
    can name one many times) at its widest width."""
    widest = 0
    specs = 0
    for m in _PRINTF.finditer(fmt):
        specs += 1
        for number in m.groups():
            if number == "*":
                widest = max([widest, *(_number(a) for a in args)])
            elif number:
                widest = max(widest, int(number))
    size = sum(budget.text_of(a, "`%` formats") for a in args)
    return len(fmt) + specs * (size + widest)


def _format_size(budget: Budget, fmt: str, args: tuple[Any, ...], kwargs: Any) -> int:
    """What str.format can make: each field may be the largest argument, at its width."""
    values = [*args, *(kwargs.values() if isinstance(kwargs, dict) else ())]
    size = sum(budget.text_of(v, "format() formats") for v in values)
    widest = 0
    fields = 0
    try:
        parsed = list(string.Formatter().parse(fmt))
    except ValueError:
        return len(fmt)  # str.format will say what is wrong with it
    for _, field, spec, _ in parsed:
        if field is None:
            continue
        fields += 1
        for number in _SPEC_NUMBER.findall(spec or ""):
            widest = max(widest, int(number))
        if spec and "{" in spec:  # a width given as an argument
            widest = max([widest, *(_number(v) for v in values)])
    return len(fmt) + fields * (size + widest)


def _too_many_digits(op: str, digits: int) -> str:
    return (
        f"{op} would make a number of about {digits:,} digits; a template may use numbers of "
        f"up to {MAX_DIGITS:,} digits"
    )


def _user_signature(func: Callable[..., Any]) -> inspect.Signature:
    """A filter's parameters as a template gives them: without the context Jinja passes
    first (async-ready filters wrap a sync function that may or may not take it)."""
    target = inspect.unwrap(func)
    signature = inspect.signature(target)
    params = list(signature.parameters.values())
    if _PassArg.from_obj(target) is not None:
        params = params[1:]
    return signature.replace(parameters=params)


def _listed(value: Any) -> list[Any]:
    """A list of an iterable's items; a generator is read only as far as a list may go."""
    if isinstance(value, list):
        return value
    if isinstance(value, Sized) and isinstance(value, Iterable) and not isinstance(value, dict):
        return list(value)
    if isinstance(value, Undefined):
        return []
    items = list(islice(iter(value), MAX_TEXT // _POINTER + 1))
    if len(items) > MAX_TEXT // _POINTER:
        raise BudgetError(f"makes a sequence of more than {MAX_TEXT // _POINTER:,} items")
    return items


def _replaced(s: str, old: Any, new: Any, count: Any) -> int:
    if not isinstance(old, str) or not isinstance(new, str):
        return len(s)
    found = len(s) + 1 if not old else s.count(old)
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    return len(s) + found * max(len(new) - len(old), 0)


# Filters that turn their value into text: a function or tool object given to them is refused
# (it would print the tool's insides), and a list is weighed as the text it becomes.
_STRINGIFYING = frozenset(
    {
        *("capitalize", "center", "e", "escape", "forceescape", "format", "indent", "lower"),
        *("pprint", "replace", "safe", "string", "striptags", "title", "tojson", "trim"),
        *("truncate", "upper", "urlencode", "urlize", "wordcount", "wordwrap", "xmlattr"),
    }
)

_Check = Callable[[Budget, dict[str, Any], str], None]


def _center(b: Budget, a: dict[str, Any], what: str) -> None:
    b.build(max(len(str(a["value"])), _number(a["width"])), what)


def _indent(b: Budget, a: dict[str, Any], what: str) -> None:
    s, width = str(a["s"]), a["width"]
    per_line = len(width) if isinstance(width, str) else _number(width)
    b.build(len(s) + (s.count("\n") + 1) * per_line, what)


def _format(b: Budget, a: dict[str, Any], what: str) -> None:
    args = tuple(a["args"]) + tuple(a["kwargs"].values())
    b.build(_printf_size(b, str(a["value"]), args), what)


def _join(b: Budget, a: dict[str, Any], what: str) -> None:
    items = _listed(a["value"])
    a["value"] = items
    size = sum(b.text_of(item, f"{what} joins") for item in items)
    b.build(size + len(str(a["d"])) * len(items), what)


def _replace(b: Budget, a: dict[str, Any], what: str) -> None:
    count = a["count"] if a["count"] is not None else -1
    b.build(_replaced(str(a["s"]), a["old"], a["new"], count), what)


def _wordwrap(b: Budget, a: dict[str, Any], what: str) -> None:
    s, wrap = str(a["s"]), a["wrapstring"]
    b.build(len(s) * (1 + len(wrap if isinstance(wrap, str) else "\n")), what)


def _batch(b: Budget, a: dict[str, Any], what: str) -> None:
    b.build_list(_number(a["linecount"]), what)


def _slice(b: Budget, a: dict[str, Any], what: str) -> None:
    b.build_list(_number(a["slices"]), what)


def _sum(b: Budget, a: dict[str, Any], what: str) -> None:
    if not isinstance(a["start"], int | float):
        raise BudgetError(f"{what} adds numbers only")


_FILTER_CHECKS: dict[str, _Check] = {
    "center": _center,
    "indent": _indent,
    "format": _format,
    "join": _join,
    "replace": _replace,
    "wordwrap": _wordwrap,
    "batch": _batch,
    "slice": _slice,
    "sum": _sum,
}
