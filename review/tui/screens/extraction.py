"""The extraction form, a study at a time: the report (citation and abstract)
on the left, the protocol's fields on the right, each checked as it is typed
with the message under the field, and saved when you leave the field or press
Enter (one write each, off the UI thread). NA is not reported (ctrl+o types
it). ctrl+s submits the study; ctrl+n / ctrl+b go to the next / previous
study; escape leaves the fields (then q quits, ? lists the keys).

A reviewer sees only their own values here: the other reviewer's stay hidden
until both have submitted (then the form is read-only; the adjudicator settles
what differs). Reads and writes go through review.extraction.session.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Static

from review.tui.dbwork import DbJobFailed
from review.tui.screens.base import ReviewScreen


def report_text(page) -> Text:
    """The study's report as the left pane shows it."""
    t = Text()
    t.append(f"{page.study.label}\n", style="bold")
    rep = page.report
    if rep is None:
        return t
    t.append(f"{rep.citation}\n", style="italic")
    t.append(f"record {rep.record_id}\n\n", style="dim")
    t.append(rep.abstract or "(no abstract)", style="" if rep.abstract else "dim")
    for other in page.study.reports[1:]:
        t.append(f"\n\nalso: {other.citation} (record {other.record_id})", style="dim")
    return t


class FieldRow(Vertical):
    """A field: its label (with unit and what to type), the input, the message."""

    def __init__(self, f) -> None:
        super().__init__(classes="field-row")
        self.field = f

    def compose(self) -> ComposeResult:
        f = self.field
        unit = f" ({f.unit})" if f.unit else ""
        yield Label(Text.assemble((f.label + unit, "bold"), (f" · {f.name}", "dim")), classes="field-label")
        yield Input(id=f"in-{f.name}", placeholder=f.help)
        yield Static("", id=f"msg-{f.name}", classes="field-msg")


class ExtractScreen(ReviewScreen):
    """One reviewer's extraction form, study by study."""

    SUB_TITLE = "extraction"
    BINDINGS = [
        Binding("ctrl+s", "submit", "submit", id="extract.submit", tooltip="this study's form is done"),
        Binding("ctrl+n", "study(1)", "next study", id="extract.next"),
        Binding("ctrl+b", "study(-1)", "previous study", id="extract.previous"),
        Binding("ctrl+o", "not_reported", "NA", id="extract.na", tooltip="the field in focus is not reported"),
        Binding("escape", "leave", "leave the fields", id="extract.leave", show=False,
                tooltip="then q quits and ? lists the keys"),
    ]

    def __init__(self, study: str | None = None) -> None:
        super().__init__()
        self.start = study
        self.page = None
        self.arm = ""
        self.built = False
        self.dirty: list[str] = []          # fields typed and not yet saved, in order
        self.after_flush = None             # what to do once every typed value is saved

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="extract-panes"):
            with VerticalScroll(id="report-pane"):
                yield Static("", id="report")
            with VerticalScroll(id="form-pane"):
                yield Input(id="arm", placeholder="arm: blank for the whole study, or a group's name (Enter)")
                yield Vertical(id="fields")

    # -- reading ------------------------------------------------------------

    def load(self, step: int = 0) -> None:
        from review.extraction.session import form_page

        actor, label = self.actor, (self.page.study.label if self.page else self.start)
        self.read("study", lambda conn: form_page(conn, actor, label, step), self.show, self._failed)

    def _failed(self, failed: DbJobFailed) -> None:
        self.status.set_item("could not read the form")
        self.notice(failed.message, "error")

    def show(self, page) -> None:
        new_study = self.page is None or self.page.study.id != page.study.id
        self.page = page
        if not self.built:
            self.query_one("#fields").mount_all(FieldRow(f) for f in page.form)
            self.built = True
            self.call_after_refresh(self._paint, True)
        else:
            self._paint(new_study)

    def _paint(self, new_study: bool) -> None:
        page = self.page
        self.query_one("#report", Static).update(report_text(page))
        locked = page.view.complete
        for f in page.form:
            box = self.query_one(f"#in-{f.name}", Input)
            text = page.text(self.arm, f.name)
            if new_study or f.name not in self.dirty:
                box.value = text or ""
            whole = page.text("", f.name) if self.arm else None
            box.placeholder = f"whole study: {whole}" if whole is not None else f.help
            box.disabled = locked
            if new_study:
                self._message(f.name, "")
        if new_study:
            self.dirty.clear()
            self.query_one("#arm", Input).value = self.arm
        self._status()
        self.refresh_bindings()

    def _status(self) -> None:
        p = self.page
        v = p.view
        if v.complete:
            state = "submitted by both: read-only" + (f"; {len(v.differing)} differ (for the adjudicator)"
                                                    if v.differing else "")
        elif v.submitted:
            state = "submitted (a change reopens it)"
        else:
            others = [x for x in v.submitted_by if x != self.actor]
            state = "open" + (f"; submitted by {', '.join(others)}" if others else "")
        arm = f" · arm {self.arm}" if self.arm else ""
        self.status.set_item(f"{p.study.label} ({p.index + 1}/{p.count}){arm} · {state} · "
                             f"{self.key_for('extract.submit')} submit · {self.key_for('extract.next')} next")

    # -- typing -------------------------------------------------------------

    def _message(self, name: str, text: str, error: bool = False) -> None:
        msg = self.query_one(f"#msg-{name}", Static)
        msg.update(text)
        msg.set_class(error, "-error")

    def _n_for(self, f) -> int | None:
        if not f.n_field:
            return None
        text = self.query_one(f"#in-{f.n_field}", Input).value
        try:
            value = self.page.form.get(f.n_field).parse(text).value
        except ValueError:
            return None
        return value if isinstance(value, int) else None

    def check(self, name: str, text: str) -> bool:
        """Check the typed text as its type says; the message goes under the field."""
        from review.extraction.form import FieldProblem

        f = self.page.form.get(name)
        if not text.strip():
            self._message(name, "")
            return True
        try:
            parsed = f.parse(text, self._n_for(f))
        except FieldProblem as p:
            self._message(name, f"✗ {p.message}", error=True)
            return False
        how = "" if parsed.derived == "entered" else f"  ({parsed.derived.replace('_', ' ')})"
        self._message(name, f"✓ {f.show(parsed.value)}{how}")
        return True

    def on_input_changed(self, event: Input.Changed) -> None:
        name = (event.input.id or "")[3:]
        if self.page is None or not (event.input.id or "").startswith("in-"):
            return
        stored = self.page.text(self.arm, name) or ""
        if event.value != stored and name not in self.dirty:
            self.dirty.append(name)
        elif event.value == stored and name in self.dirty:
            self.dirty.remove(name)
        self.check(name, event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "arm":
            self.arm = event.value.strip()
            self.dirty.clear()
            self._paint(False)
            self.notice(f"arm {self.arm!r}: the fields hold this group's values" if self.arm
                        else "the whole study's values")
            return
        self.flush()
        self.focus_next()

    def on_input_blurred(self, event: Input.Blurred) -> None:
        if (event.input.id or "").startswith("in-"):
            self.flush()

    def action_not_reported(self) -> None:
        focused = self.focused
        if isinstance(focused, Input) and (focused.id or "").startswith("in-") and not focused.disabled:
            focused.value = "NA"
            name = focused.id[3:]
            if name not in self.dirty and (self.page.text(self.arm, name) or "") != "NA":
                self.dirty.append(name)
            self.flush()

    def action_leave(self) -> None:
        self.flush()
        self.query_one("#report-pane").focus()

    # -- writing ------------------------------------------------------------

    def flush(self, then=None) -> None:
        """Save the typed values one at a time (a write each), then ``then()``."""
        from review.extraction.session import save

        if then is not None:
            self.after_flush = then
        if self.db.pending is not None or self.page is None:
            return
        while self.dirty:
            name = self.dirty[0]
            text = self.query_one(f"#in-{name}", Input).value
            if self.check(name, text) or not text.strip():
                break
            self.dirty.pop(0)  # a value that does not fit stays on screen, unsaved, with its message
        if not self.dirty:
            todo, self.after_flush = self.after_flush, None
            if todo is not None:
                todo()
            return
        name = self.dirty.pop(0)
        text = self.query_one(f"#in-{name}", Input).value
        label, actor, arm = self.page.study.label, self.actor, self.arm

        def done(page) -> None:
            self.page = page
            shown = page.text(arm, name)
            self._message(name, f"saved: {shown if shown is not None else 'not entered'}")
            self.status.set_notice(f"{label}: {name} saved")
            self._status()
            self.flush()

        def failed(f: DbJobFailed) -> None:
            self._message(name, f"✗ not saved: {f.message}", error=True)
            self.notice(f.message, "error")
            self.after_flush = None

        self.write(f"save {name}", lambda conn: save(conn, actor, label, arm, name, text if text.strip() else "NA"),
                   done, failed)

    def action_study(self, step: int) -> None:
        if not self.accepts_key() or self.page is None:
            return
        self.flush(then=lambda: self.load(step))

    def action_submit(self) -> None:
        from review.extraction.session import submit_page

        if not self.accepts_key() or self.page is None:
            return
        label, actor = self.page.study.label, self.actor

        def go() -> None:
            def done(result) -> None:
                sub, page = result
                self.page = page
                if sub.complete and not sub.already:
                    self.notice(f"{label} submitted; both reviewers have: {sub.agreed} fields agreed and settled, "
                                f"{sub.differing} differ (for the adjudicator)")
                else:
                    self.notice(f"{label} {'was already ' if sub.already else ''}submitted")
                self._paint(False)

            self.write("submit", lambda conn: submit_page(conn, actor, label), done)

        self.flush(then=go)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("submit", "not_reported") and self.page is not None and self.page.view.complete:
            return None
        return True
