"""The text `review rules` prints: what each rule excludes (with a few titles),
what is flagged for a person, and what this run changed."""

from __future__ import annotations

from review.rules.engine import RunResult

LABELS = {
    "publication_type": "publication type",
    "date_window": "date window",
    "language": "language",
    "humans_only": "humans only",
    "min_impact_factor": "impact factor below the minimum",
}


def _short(text: str, width: int = 90) -> str:
    text = " ".join((text or "(no title)").split())
    return text if len(text) <= width else text[:width - 1] + "…"


def _counts(d: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in d.items() if v) or "none"


def format_result(r: RunResult, titles: int = 3) -> str:
    lines = []
    head = "dry run: nothing is written. " if r.dry_run else ""
    total = sum(r.excluded.values())
    would = "would be" if r.dry_run else "are"
    lines.append(f"{head}{r.units} records (one per duplicate group): {total} {would} excluded by the rules"
                 f" (PRISMA: {r.prisma['automatic']} by automation tools, {r.prisma['other']} for other reasons),"
                 f" {sum(r.flagged.values())} flags for a person")
    for rule, n in r.excluded.items():
        lines.append(f"  {rule} ({LABELS.get(rule, rule)}): {n}")
        for ex in r.examples.get(rule, [])[:titles]:
            lines.append(f"      record {ex['record']}: {_short(ex['title'])}  [{_value(ex['value'])}]")
    if r.overruled:
        lines.append(f"  overruled by an adjudicator at title/abstract (screened): {_counts(r.overruled)}")
    if r.flagged:
        lines.append("flagged for a person (never excluded):")
        for why, n in r.flagged.items():
            lines.append(f"  {why}: {n}")
            for ex in r.examples.get(why, [])[:titles]:
                lines.append(f"      record {ex['record']}: {_short(ex['title'])}")
    verb = "would add" if r.dry_run else "added"
    back = "would retract" if r.dry_run else "retracted"
    if r.changed:
        lines.append(f"changes: {verb} exclusions {_counts(r.added['rule'])}; flags {_counts(r.added['flag'])}")
        lines.append(f"         {back} exclusions {_counts(r.retracted['rule'])}; flags {_counts(r.retracted['flag'])}")
        lines.append(f"         kept {r.kept['rule']} exclusions and {r.kept['flag']} flags as they were")
    else:
        lines.append(f"nothing changed: {r.kept['rule']} exclusions and {r.kept['flag']} flags stand as they were")
    if not r.dry_run and r.events:
        lines.append(f"wrote {len(r.events)} events (events {r.events[0]}-{r.events[-1]}), one audit entry")
    for m in r.metrics_imported:
        lines.append(f"imported journal metrics from {m['file']} ({m['format']}, {m['kind']}): "
                     f"{m['journals']} journals, {m['metrics']} values")
    if r.unrecognised_types:
        shown = ", ".join(f"{t!r} {n}" for t, n in list(r.unrecognised_types.items())[:8])
        lines.append(f"publication types not in the vocabulary (not used): {shown}")
    lines += [f"note: {n}" for n in r.notes]
    return "\n".join(lines)


def _value(v) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, list):
        return ", ".join(map(str, v))
    return str(v)
