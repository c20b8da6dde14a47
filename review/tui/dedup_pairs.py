"""The possible-duplicate pair view: two records side by side, differing
fields highlighted; keys m merge, k keep apart, s skip, u undo last, q quit.
Every key that decides writes to the project database at once (through
review.dedup.store), so quitting never loses work.

Writes run in a thread worker on their own connection, so a database locked
by another writer never freezes the screen: the status line shows "saving…",
further keys are ignored until the write is done (a key is never applied to a
pair the user has not seen), and a write that times out is reported and can
be repeated with the pair still on screen."""

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
        self.db_path = db_path
        self.current: dict | None = None
        self.decided = 0
        self.saving: str | None = None  # what is being written, while a write is pending
        self.quit_after_save = False

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

    def show_next(self, keep: dict | None = None) -> None:
        """Show the best open pair (or ``keep``, the pair on screen, if it is still open)."""
        todo = self.pending()
        if keep is not None:
            same = [p for p in todo if p["pair_id"] == keep["pair_id"]]
            todo = same + [p for p in todo if p["pair_id"] != keep["pair_id"]]
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

    def _start_write(self, label: str, fn, done) -> None:
        """Run ``fn(conn)`` on a fresh connection in a thread; ``done(result)`` on the UI thread."""
        self.saving = label
        status = self.query_one("#status", Static)
        status.update(f"saving… ({label})")

        def work() -> None:
            import sqlite3

            from review.db import connect
            from review.errors import ReviewError

            try:
                conn = connect(self.db_path)
                try:
                    result = fn(conn)
                finally:
                    conn.close()
            except sqlite3.OperationalError as exc:
                msg = ("database busy, press the key again" if "locked" in str(exc) or "busy" in str(exc)
                       else f"database error: {exc}; press the key again")
                self.call_from_thread(self._write_failed, msg)
            except ReviewError as exc:
                self.call_from_thread(self._write_failed, str(exc))
            else:
                self.call_from_thread(self._write_done, done, result)

        self.run_worker(work, name=label, group="db-write", thread=True, exit_on_error=False)

    def _write_done(self, done, result) -> None:
        self.saving = None
        done(result)
        if self.quit_after_save:
            self.exit()

    def _write_failed(self, msg: str) -> None:
        self.saving = None
        self.notify(msg, severity="error")
        if self.quit_after_save:
            self.exit()
            return
        self.show_next(keep=self.current)

    def _busy(self) -> bool:
        if self.saving is not None:
            self.notify(f"saving… ({self.saving}); that key was ignored", severity="warning")
            return True
        return False

    def action_decide(self, decision: str) -> None:
        from review.dedup.store import decide_pair

        if self.current is None or self._busy():
            return
        pair = self.current
        actor = self.actor

        def done(result: dict) -> None:
            prev = result.get("replaced")
            if prev is not None:
                self.notify(f"pair {pair['pair_id']}: {prev['actor']} had decided '{prev['decision']}' "
                            f"meanwhile (decision {prev['decision_id']}); your '{decision}' replaces it",
                            severity="warning")
            self.decided += 1
            self.show_next()

        self._start_write(f"{decision} pair {pair['pair_id']}",
                          lambda conn: decide_pair(conn, pair["pair_id"], decision, actor), done)

    def action_skip(self) -> None:
        if self._busy():
            return
        if self.current is not None:
            self.skipped.add(self.current["pair_id"])
        self.show_next()

    def action_undo(self) -> None:
        from review.dedup.store import undo

        if self._busy():
            return
        actor = self.actor

        def done(result: dict) -> None:
            if result.get("pair_id") is not None:
                self.skipped.discard(result["pair_id"])
            self.decided = max(0, self.decided - 1)
            self.show_next()

        self._start_write("undo", lambda conn: undo(conn, actor), done)

    async def action_quit(self) -> None:
        if self.saving is not None:
            self.quit_after_save = True
            self.notify(f"saving… ({self.saving}); quitting when it is written")
            return
        self.exit()

    def on_unmount(self) -> None:
        self.conn.close()
