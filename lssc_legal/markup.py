"""Amendment markup as plain text: what every output writes the same way (Markdown, the
terminal, Word runs), with no library beyond the models."""

from __future__ import annotations

from collections.abc import Sequence

from .models import RedlineSpan


def spaced(spans: Sequence[RedlineSpan]) -> list[RedlineSpan]:
    """Spans for display: a struck word directly followed by an inserted one gets a space
    between them ("this section Subsection (a)", not "this sectionSubsection (a)")."""
    out = list(spans)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if (
            a.mark == "deleted"
            and b.mark == "inserted"
            and a.text[-1:].strip()
            and b.text[:1].strip()
        ):
            out[i] = RedlineSpan(a.text + " ", a.mark)
    return out


def markdown_redline(spans: Sequence[RedlineSpan]) -> str:
    """Struck text as ~~struck~~, inserted text as **inserted**, for Markdown."""
    out = []
    for s in spaced(spans):
        text = s.text
        core = text.strip()
        if not core or s.mark == "unchanged":
            out.append(text)
            continue
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()) :]
        mark = "~~" if s.mark == "deleted" else "**"
        out.append(f"{lead}{mark}{core}{mark}{trail}")
    return "".join(out)
