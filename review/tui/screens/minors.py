"""MINORS scoring, a study at a time: the items with your scores, and under
them the item in hand with what it asks and what earns 0, 1 and 2. Keys 0 / 1
/ 2 score the item (saved at once, off the UI thread) and move on; j / k (or
the arrows) move between items; n / p go to the next / previous study; s
submits the study's scores. You see only your own scores; the other
reviewer's stay hidden until both of you have submitted. Reads and writes go
through review.quality.session.
"""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from review.tui.dbwork import DbJobFailed
from review.tui.screens.base import ReviewScreen


class ItemsView(Static, can_focus=True):
    """The study's items and scores (focusable, so the keys reach the screen)."""


def items_table(page, current: int) -> Table:
    t = Table(box=None, expand=True, padding=(0, 1), show_header=True, header_style="bold")
    t.add_column("item", ratio=1)
    t.add_column("score", no_wrap=True, justify="right")
    for it in page.items:
        mark = "▶" if it.number == current else " "
        score = page.scores.get(it.number)
        style = "reverse" if it.number == current else ""
        t.add_row(f"{mark} {it.number:>2}. {it.title}", "-" if score is None else str(score), style=style)
    done = len(page.scores)
    t.add_row(Text(f"     total so far ({done}/{len(page.items)} scored)", style="dim"), f"{page.total}/{page.ideal}")
    return t


def guidance(item) -> Group:
    from review.quality.items import SCORE_WORDS

    lines = [Text.assemble((f"{item.number}. {item.title}", "bold")), Text(item.meaning), Text("")]
    for score, words in enumerate(item.guidance):
        lines.append(Text.assemble((f"{score} ", "bold"), (f"{SCORE_WORDS[score]}: ", "italic"), words))
    return Group(*lines)


class MinorsScreen(ReviewScreen):
    """One reviewer's MINORS scores, study by study."""

    SUB_TITLE = "MINORS"
    BINDINGS = [
        Binding("0", "score(0)", "0 not reported", id="minors.score0"),
        Binding("1", "score(1)", "1 inadequate", id="minors.score1"),
        Binding("2", "score(2)", "2 adequate", id="minors.score2"),
        Binding("j,down", "item(1)", "next item", id="minors.next_item"),
        Binding("k,up", "item(-1)", "previous item", id="minors.previous_item"),
        Binding("n", "study(1)", "next study", id="minors.next"),
        Binding("p", "study(-1)", "previous study", id="minors.previous"),
        Binding("s", "submit", "submit", id="minors.submit", tooltip="every item is scored"),
    ]

    def __init__(self, study: str | None = None) -> None:
        super().__init__()
        self.start = study
        self.page = None
        self.current = 1

    def compose_body(self) -> ComposeResult:
        yield ItemsView("", id="items")
        yield Static("", id="guidance")

    def load(self, step: int = 0) -> None:
        from review.quality.session import minors_page

        actor, label = self.actor, (self.page.study.label if self.page else self.start)
        self.read("study", lambda conn: minors_page(conn, actor, label, step), self.show, self._failed)

    def _failed(self, failed: DbJobFailed) -> None:
        self.status.set_item("could not read the scores")
        self.notice(failed.message, "error")

    def show(self, page) -> None:
        if self.page is None or self.page.study.id != page.study.id:
            unscored = [i.number for i in page.items if i.number not in page.scores]
            self.current = unscored[0] if unscored else 1
        self.page = page
        self._paint()

    def _paint(self) -> None:
        from review.quality.items import item

        p = self.page
        self.query_one("#items", ItemsView).update(Group(Text(p.study.label, style="bold"),
                                                         Text(p.study.reports[0].citation if p.study.reports
                                                              else "", style="italic"),
                                                         items_table(p, self.current)))
        self.query_one("#guidance", Static).update(guidance(item(self.current)))
        if p.complete:
            state = "submitted by both: read-only"
        elif p.submitted:
            state = "submitted (a change reopens it)"
        else:
            others = [x for x in p.submitted_by if x != self.actor]
            state = "open" + (f"; submitted by {', '.join(others)}" if others else "")
        self.status.set_item(f"{p.study.label} ({p.index + 1}/{p.count}) · {state} · "
                             f"{self.key_for('minors.score0')}/{self.key_for('minors.score1')}/"
                             f"{self.key_for('minors.score2')} score · {self.key_for('minors.submit')} submit")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("score", "submit") and self.page is not None and self.page.complete:
            return None
        return True

    def action_item(self, step: int) -> None:
        if self.page is None:
            return
        numbers = [i.number for i in self.page.items]
        self.current = numbers[(numbers.index(self.current) + step) % len(numbers)]
        self._paint()

    def action_study(self, step: int) -> None:
        if self.accepts_key() and self.page is not None:
            self.load(step)

    def action_score(self, value: int) -> None:
        from review.quality.session import score

        if not self.accepts_key() or self.page is None or self.page.complete:
            return
        label, actor, number = self.page.study.label, self.actor, self.current

        def done(page) -> None:
            self.page = page
            self.status.set_notice(f"{label}: item {number} = {value} saved")
            numbers = [i.number for i in page.items]
            after = [n for n in numbers[numbers.index(number) + 1:] if n not in page.scores]
            self.current = after[0] if after else numbers[min(numbers.index(number) + 1, len(numbers) - 1)]
            self._paint()

        self.write(f"item {number}", lambda conn: score(conn, actor, label, number, value), done)

    def action_submit(self) -> None:
        from review.quality.session import submit_scores

        if not self.accepts_key() or self.page is None:
            return
        label, actor = self.page.study.label, self.actor

        def done(result) -> None:
            sub, page = result
            self.page = page
            self.notice(f"{label}: MINORS submitted" + (f"; both reviewers have: {sub.agreed} items agreed, "
                                                        f"{sub.differing} differ" if sub.complete else ""))
            self._paint()

        self.write("submit", lambda conn: submit_scores(conn, actor, label), done)
