"""The possible-duplicate pairs of the latest dedup run, one at a time: the
two records field by field, differing fields marked; m merge, k keep apart,
s skip, u undo, b back to the skipped pairs, q quit.

Every key that decides is written at once (``review.dedup.store``), off the
UI thread; the next pair is read only once the decision is committed. Skipped
pairs stay open (``review dedup pairs`` still lists them) and come back with b.
"""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding

from review.tui.dbwork import DbJobFailed
from review.tui.screens.base import ReviewScreen
from review.tui.widgets.compare import CompareView, comparison

FIELDS = ("title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "pmid", "source", "abstract")
ABSTRACT_CHARS = 600


def shown_fields(record: dict) -> dict[str, str]:
    """The fields shown for one record (authors joined, missing as '', abstract cut)."""
    d = {k: "" if record.get(k) is None else str(record[k]) for k in FIELDS if k != "authors"}
    d["authors"] = "; ".join(record.get("authors") or [])
    if len(d["abstract"]) > ABSTRACT_CHARS:
        d["abstract"] = d["abstract"][:ABSTRACT_CHARS] + "…"
    return d


def next_pair(conn, skipped: frozenset[int], prefer: tuple[int, int] | None = None) -> dict:
    """What the screen shows next (read in a worker): the best open pair not skipped
    (``prefer``, a pair of record ids, first if it is open) with both records, and counts."""
    from review.db.records import get_record
    from review.dedup.store import open_pairs

    todo = open_pairs(conn)
    unseen = [p for p in todo if p["pair_id"] not in skipped]
    if prefer is not None:
        unseen.sort(key=lambda p: (p["record_a"], p["record_b"]) != tuple(sorted(prefer)))
    out = {"pair": None, "left": len(unseen), "skipped": len(todo) - len(unseen)}
    if unseen:
        p = unseen[0]
        out.update(pair=p, a=shown_fields(get_record(conn, p["record_a"])),
                   b=shown_fields(get_record(conn, p["record_b"])))
    return out


class PairScreen(ReviewScreen):
    """Decide the possible pairs of the latest dedup run, one at a time."""

    SUB_TITLE = "possible duplicates"
    BINDINGS = [
        Binding("m", "decide('merge')", "merge", id="dedup.merge",
                tooltip="one paper: group the two records"),
        Binding("k", "decide('keep')", "keep apart", id="dedup.keep",
                tooltip="two papers: never group them"),
        Binding("s", "skip", "skip", id="dedup.skip", tooltip="decide later; the pair stays open"),
        Binding("u", "undo", "undo", id="dedup.undo", tooltip="take back your latest decision"),
        Binding("b", "revisit", "back to skipped", id="dedup.revisit",
                tooltip="see this session's skipped pairs again"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.current: dict | None = None
        self.skipped: set[int] = set()
        self.skipped_open = 0
        self.decided = 0
        self.mine: set[int] = set()  # decision ids made in this session

    def compose_body(self) -> ComposeResult:
        yield CompareView(id="pair")

    # -- reading ------------------------------------------------------------

    def load(self, prefer: tuple[int, int] | None = None) -> None:
        skipped = frozenset(self.skipped)
        self.read("next pair", lambda conn: next_pair(conn, skipped, prefer), self.show,
                  self._load_failed)

    def _load_failed(self, failed: DbJobFailed) -> None:
        self.current = None
        self.query_one(CompareView).show("")
        self.status.set_item("could not read the possible pairs")
        self.notice(failed.message, "error")
        self.refresh_bindings()

    def show(self, got: dict) -> None:
        """Paint what ``next_pair`` read."""
        view = self.query_one(CompareView)
        self.skipped_open = got["skipped"]
        p = self.current = got["pair"]
        if p is None:
            back, quit_ = self.key_for("dedup.revisit"), self.key_for("app.quit")
            if self.skipped_open:
                msg = (f"{self.skipped_open} pair(s) skipped this session; none left unseen. "
                       f"Press {back} to go back to the skipped ones, {quit_} to quit.")
                more = (f"Every open pair has been seen. The {self.skipped_open} you skipped are still open "
                        f"('review dedup pairs' lists them): press {back} to decide them now, or {quit_} to "
                        "leave them for later.")
            else:
                msg = f"No possible pairs left ({self.decided} decided this session). Press {quit_} to quit."
                more = "No possible pair waits for a person. 'review dedup' finds new ones after an import."
            self.status.set_item(msg)
            view.show(Text(f"\n{more}"))
        else:
            more = f", {self.skipped_open} skipped" if self.skipped_open else ""
            keys = ", ".join(f"{self.key_for(f'dedup.{a}')} {w}" for a, w in
                             (("merge", "merge"), ("keep", "keep apart"), ("skip", "skip")))
            self.status.set_item(f"pair {p['pair_id']} ({got['left']} left{more}) · score {p['score']:.3f} · "
                                 + keys)
            a, b = got["a"], got["b"]
            from review.dedup.normalise import norm_text

            rows = [(f, a[f], b[f], norm_text(a[f]) != norm_text(b[f])) for f in FIELDS]
            why = Text.assemble(("possible because: ", "dim"), "; ".join(p["reasons"]) or "-")
            view.show(Group(why, Text(""),
                            comparison(f"record {p['record_a']}", f"record {p['record_b']}", rows)))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "revisit":  # offered only at the end of the unseen pairs
            return self.current is None and self.skipped_open > 0 and self.db.pending is None
        if action in ("decide", "skip"):  # dimmed with no pair on screen (while loading: ignored, with a notice)
            return True if self.current is not None or self.db.pending is not None else None
        return True

    # -- keys ---------------------------------------------------------------

    def action_decide(self, decision: str) -> None:
        from review.dedup.store import decide_pair

        if not self.accepts_key() or self.current is None:
            return
        pair, actor = self.current, self.actor

        def done(result: dict) -> None:
            prev = result.get("replaced")
            if prev is not None:
                self.notice(f"pair {pair['pair_id']}: {prev['actor']} had decided '{prev['decision']}' "
                            f"meanwhile (decision {prev['decision_id']}); your '{decision}' replaces it",
                            "warning")
            else:
                self.status.set_notice(f"pair {pair['pair_id']}: {decision} saved "
                                       f"(decision {result['decision_id']})")
            self.decided += 1
            self.mine.add(result["decision_id"])
            self.load()

        self.write(f"{decision} pair {pair['pair_id']}",
                   lambda conn: decide_pair(conn, pair["pair_id"], decision, actor), done)

    def action_skip(self) -> None:
        if not self.accepts_key() or self.current is None:
            return
        self.skipped.add(self.current["pair_id"])
        self.status.set_notice(f"pair {self.current['pair_id']} skipped (it stays open)")
        self.load()

    def action_revisit(self) -> None:
        if not self.accepts_key():
            return
        n = len(self.skipped)
        self.skipped.clear()
        self.status.set_notice(f"back to the {n} skipped pair(s)")
        self.load()

    def action_undo(self) -> None:
        from review.dedup.store import undo

        if not self.accepts_key():
            return
        actor = self.actor

        def done(r: dict) -> None:
            if r.get("batch") is not None:
                self.notice(f"undid split (decisions {', '.join(map(str, r['undid_all']))})")
            else:
                when = "" if r["undid"] in self.mine else ", made before this session"
                self.notice(f"undid {r['decision']} of records {r['record_a']} and {r['record_b']} "
                            f"(decision {r['undid']}{when})")
            if r["undid"] in self.mine:
                self.mine.discard(r["undid"])
                self.decided = max(0, self.decided - 1)
            if r.get("pair_id") is not None:
                self.skipped.discard(r["pair_id"])
            self.load(prefer=(r["record_a"], r["record_b"]))

        def failed(f: DbJobFailed) -> None:
            nothing = str(f.error).startswith("nothing to undo")
            self.notice("nothing to undo" + (f" ({actor} has no decision in force)" if nothing else "")
                        if nothing else f.message, "warning" if nothing else "error")

        self.write("undo", lambda conn: undo(conn, actor), done, failed)
