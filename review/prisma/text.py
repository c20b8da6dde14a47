"""The PRISMA 2020 counts as text for people (``review prisma`` without --json)."""

from __future__ import annotations

from review.prisma.counts import Flow

COLUMN = 58   # labels are padded to this width; counts follow, right-aligned


def _row(label: str, n: int) -> str:
    return f"{label:<{COLUMN}}{n:>7,}" if len(label) < COLUMN else f"{label}  {n:,}"


def _list(counts: dict[str, int], indent: str) -> list[str]:
    return [_row(indent + k, v) for k, v in counts.items()]


def format_text(flow: Flow) -> str:
    """Box by box, in the order of the diagram, then what is pending, the checks and notes."""
    L = ["PRISMA 2020: identification of studies via databases and registers", "", "Identification"]
    add = L.append
    add(_row("  Records identified from databases", sum(flow.database_results.values())))
    L.extend(_list(flow.database_results, "      "))
    add(_row("  Records identified from registers", sum(flow.register_results.values())))
    L.extend(_list(flow.register_results, "      "))
    add("  Records removed before screening:")
    add(_row("    Duplicate records removed", flow.duplicates))
    add(_row("    Marked as ineligible by automation tools", flow.excluded_automatic))
    add(_row("    Removed for other reasons", flow.excluded_other))
    add("Screening")
    add(_row("  Records screened", flow.records_screened))
    add(_row("    Records excluded", flow.records_excluded))
    add(_row("  Reports sought for retrieval", flow.dbr_sought_reports))
    add(_row("    Reports not retrieved", flow.dbr_notretrieved_reports))
    add(_row("  Reports assessed for eligibility", flow.dbr_assessed))
    add(_row("    Reports excluded", sum(flow.dbr_excluded.values())))
    L.extend(_list(flow.dbr_excluded, "      "))
    add("Included")
    add(_row("  Studies included in review", flow.new_studies))
    add(_row("  Reports of included studies", flow.new_reports))
    add("")
    if flow.pending_units:
        add("Pending (in no box above until decided)")
        for stage, label in (("title_abstract", "title/abstract"), ("full_text", "full text")):
            s = flow.pending[stage]
            if s["units"]:
                shown = ", ".join(map(str, s["records"][:10])) + (" ..." if len(s["records"]) > 10 else "")
                add(f"  {label}: {s['units']} ({s['undecided']} undecided, {s['conflict']} in conflict);"
                    f" records {shown}")
        add("")
    add("Checks")
    for c in flow.checks():
        state = "ok" if c.holds else (f"{c.pending} pending" if c.accounted else "DIFFERS")
        add(f"  [{state}] {c.identity}: {c.left} vs {c.right}")
    if flow.notes:
        add("")
        add("Notes")
        L.extend(f"  - {x}" for x in flow.notes)
    return "\n".join(L)
