"""Plain-text reports of an analysis (Markdown), for reading or pasting into email."""

from __future__ import annotations

from .analyze import pinpoint_range
from .analyze.rules import engine
from .models import Analysis

_MECHANISMS = {
    "official_fine": "fines on local officials",
    "official_removal": "removal of local officials from office",
    "official_criminal": "criminal penalties for local officials",
    "no_public_defense": "no public funds for the defense",
    "no_good_faith_defense": "no good-faith defense",
    "entity_liability": "damages or penalties against the locality",
    "funding_withheld": "state funds withheld",
    "fee_shifting": "attorney-fee shifting",
    "private_action": "private suits against the locality",
    "ag_enforcement": "attorney-general enforcement",
    "immunity_waived": "immunity waived",
    "injunction": "mandatory invalidation or injunction",
    "enforcement_suspended": "enforcement suspended on challenge",
}


def analysis_markdown(analysis: Analysis) -> str:
    bill, meta = analysis.bill, analysis.bill.meta
    rules = engine().by_id
    out = [f"# {meta.citation or bill.source}", ""]
    if meta.title:
        out += [f"*{meta.title}*", ""]
    out += [
        f"Source: {bill.source} ({bill.format}, {bill.pages} pages); version: "
        f"{meta.version or 'not stated'}; lssc-legal {analysis.tool_version}.",
        "",
        f"{len(analysis.provisions)} provisions preempt, void, punish or save local "
        "authority. Quotes are as printed with the amendments applied; struck provisions are "
        "existing law the bill repeals.",
        "",
    ]
    for p in analysis.provisions:
        where = (
            f"{pinpoint_range(p.start, p.end)}, {p.section}"
            if p.section
            else (pinpoint_range(p.start, p.end))
        )
        out.append(f"## {p.id}: {p.kind} ({where})")
        out.append("")
        out.append("> " + p.text)
        out.append("")
        facts = [f"Kinds: {', '.join(p.kinds)}"]
        if p.punitive:
            facts.append("Penalties: " + "; ".join(_MECHANISMS.get(m, m) for m in p.punitive))
        facts.append(f"Subjects: {', '.join(p.subjects) or 'none named'}")
        facts.append(f"Targets: {', '.join(p.targets) or 'none named'}")
        if p.effect:
            facts.append(f"Effect: {p.effect}")
        facts.append(f"Markup: {p.markup}")
        out += [f"- {f}" for f in facts]
        out.append(
            "- Why: "
            + "; ".join(f"`{r}`: {rules[r].rationale}" if r in rules else f"`{r}`" for r in p.rules)
        )
        for note in p.notes:
            out.append(f"- Note: {note}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
