"""The possible-duplicate pair view: two records side by side, differing
fields highlighted; keys m merge, k keep apart, s skip, u undo last, q quit.
Every key that decides writes to the project database at once (through
review.dedup.store), so quitting never loses work."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Static

FIELDS = ("title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "pmid", "source", "abstract")


def record_fields(conn, record_id: int) -> dict[str, str]:
    """The fields shown for one record (authors joined, missing as '')."""
    import json

    r = conn.execute("SELECT * FROM records WHERE id = ?", (record_id,)).fetchone()
    d = {k: "" if r[k] is None else str(r[k]) for k in FIELDS if k != "authors"}
    d["authors"] = "; ".join(json.loads(r["authors"]))
    d["abstract"] = d["abstract"][:600]
    return d


def render_record(record_id: int, mine: dict[str, str], other: dict[str, str]) -> Text:
    """Rich text of one record, fields that differ from the other record highlighted."""
    from review.dedup.normalise import norm_text

    t = Text()
    t.append(f"record {record_id}\n\n", style="bold")
    for f in FIELDS:
        differs = norm_text(mine[f]) != norm_text(other[f])
        t.append(f"{f:>8}: ", style="dim")
        t.append(mine[f] or "—", style="bold black on yellow" if differs else "")
        t.append("\n")
    return t


class PairReviewApp(App):
    """Decide the possible pairs of the latest dedup run, one at a time."""

    TITLE = "review dedup: possible duplicates"
    CSS = """
    #pair { height: 1fr; }
    .side { width: 1fr; border: round $accent; padding: 0 1; }
    #status { height: auto; padding: 0 1; background: $panel; }
    """
    BINDINGS = [
        Binding("m", "decide('merge')", "merge"),
        Binding("k", "decide('keep')", "keep apart"),
        Binding("s", "skip", "skip"),
        Binding("u", "undo", "undo last"),
        Binding("q", "quit", "quit"),
    ]

    def __init__(self, db_path: str, actor: str | None = None):
        super().__init__()
        from review.clock import current_actor
        from review.db import open_db

        self.conn = open_db(db_path)
        self.actor = actor or current_actor()
        self.skipped: set[int] = set()
        self.current: dict | None = None
        self.decided = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="status")
        with Horizontal(id="pair"):
            with VerticalScroll(classes="side"):
                yield Static(id="left")
            with VerticalScroll(classes="side"):
                yield Static(id="right")
        yield Footer()

    def on_mount(self) -> None:
        self.show_next()

    def pending(self) -> list[dict]:
        from review.dedup.store import open_pairs

        return [p for p in open_pairs(self.conn) if p["pair_id"] not in self.skipped]

    def show_next(self) -> None:
        todo = self.pending()
        status = self.query_one("#status", Static)
        left, right = self.query_one("#left", Static), self.query_one("#right", Static)
        if not todo:
            self.current = None
            status.update(f"No possible pairs left ({self.decided} decided this session). Press q to quit.")
            left.update("")
            right.update("")
            return
        p = self.current = todo[0]
        a, b = record_fields(self.conn, p["record_a"]), record_fields(self.conn, p["record_b"])
        status.update(f"pair {p['pair_id']} ({len(todo)} left), score {p['score']:.3f}: {'; '.join(p['reasons'])}")
        left.update(render_record(p["record_a"], a, b))
        right.update(render_record(p["record_b"], b, a))

    def action_decide(self, decision: str) -> None:
        from review.dedup.store import decide

        if self.current is None:
            return
        decide(self.conn, self.current["pair_id"], decision, self.actor)
        self.decided += 1
        self.show_next()

    def action_skip(self) -> None:
        if self.current is not None:
            self.skipped.add(self.current["pair_id"])
        self.show_next()

    def action_undo(self) -> None:
        from review.dedup.store import undo
        from review.errors import BadInput

        try:
            done = undo(self.conn, self.actor)
        except BadInput as exc:
            self.notify(str(exc), severity="warning")
            return
        if done.get("pair_id") is not None:
            self.skipped.discard(done["pair_id"])
        self.decided = max(0, self.decided - 1)
        self.show_next()

    def on_unmount(self) -> None:
        self.conn.close()
