"""The user's keymap file: remapped keys work (through Textual's own keymap),
replaced defaults stop working, the help lists the keys in force, and a file
that cannot be used is refused with a message naming file, line and id."""

import asyncio
import re

import pytest
from click.testing import CliRunner

from review.cli import main
from review.errors import BadInput
from review.tui.app import ReviewApp
from review.tui.keymap import contexts, keymap_path, known_bindings, load_keymap, parse_keymap
from review.tui.screens.help import HelpScreen
from tests.tui.conftest import decisions, review_screens, settle, status


def press_and_help(db, keymap, keys):
    """Press ``keys`` one by one (waiting for each write), then open the help;
    returns (help rows by binding id, keys bound on the pair screen, status line at start)."""

    async def go():
        app = ReviewApp(db, actor="bob", keymap=keymap, keymap_source="km.toml")
        async with app.run_test() as pilot:
            await settle(pilot)
            bound = set(review_screens(app)[0].active_bindings)
            hint = status(app)
            for key in keys:
                await pilot.press(key)
                await settle(pilot)
            await pilot.press(keymap.get("app.help", "question_mark").split(",")[0])
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            return {r[2]: r[0] for r in app.screen.rows}, bound, hint

    return asyncio.run(go())


def test_a_remapped_key_works_and_the_default_no_longer_does(pairs_project):
    keymap = parse_keymap('dedup.merge = "x"\n', "km.toml")
    rows, bound, hint = press_and_help(pairs_project, keymap, ["m"])
    assert decisions(pairs_project) == []  # m does nothing any more
    assert rows["dedup.merge"] == "x" and "x" in bound and "m" not in bound
    assert hint.endswith("x merge, k keep apart, s skip")  # the status line names the keys in force
    press_and_help(pairs_project, keymap, ["x"])
    assert decisions(pairs_project) == [("merge", 1, 3)]


def test_several_keys_tables_and_a_swap(pairs_project):
    text = '"dedup.merge" = "k, ctrl+x"\n[dedup]\nkeep = "m"\n[app]\nhelp = "f1"\n'
    keymap = parse_keymap(text, "km.toml")
    assert keymap == {"dedup.merge": "k,ctrl+x", "dedup.keep": "m", "app.help": "f1"}
    rows, bound, hint = press_and_help(pairs_project, keymap, ["k", "ctrl+x", "m"])
    assert hint.endswith("k merge, m keep apart, s skip")
    assert rows["dedup.merge"] == "k, ^x" and rows["dedup.keep"] == "m" and rows["app.help"] == "f1"
    assert "question_mark" not in bound
    assert decisions(pairs_project) == [("merge", 1, 3), ("merge", 5, 6), ("keep", 2, 4)]


@pytest.mark.parametrize("text, expected", [
    ('dedup.mrge = "x"\n', 'km.toml:1: unknown binding id \'dedup.mrge\''),
    ('\n\ndedup.merge = 3\n', 'km.toml:3: dedup.merge must be a string of keys'),
    ('dedup.merge = "ctl+x"\n', "'ctl' is not a modifier"),
    ('dedup.merge = "foo"\n', "'foo' is not a key name"),
    ('dedup.merge = "x,"\n', "an empty key"),
    ('dedup.merge = "down"\n', "'down' scrolls the view and cannot be remapped"),
    ('dedup.merge = "k"\n', "km.toml:1: key 'k' would be both dedup.merge and dedup.keep on the dedup-pairs screen"),
    ('app.help = "m"\n', "key 'm' would be both dedup.merge and app.help"),
    ('dedup.merge = "x\n', "km.toml: not a valid TOML keymap"),
])
def test_a_bad_keymap_names_file_line_and_id_and_lists_the_defaults(text, expected):
    with pytest.raises(BadInput) as err:
        parse_keymap(text, "km.toml")
    msg = str(err.value)
    assert expected in msg
    assert re.search(r'\n  dedup\.merge +=\s"m"   # merge\n', msg) and re.search(r'\n  app\.help +=\s"\?"', msg)


def test_every_binding_has_an_id_and_no_key_does_two_things():
    for context, bindings in contexts().items():
        keys = [b.key for b in bindings]
        assert len(keys) == len(set(keys)), context
    known = known_bindings()
    assert {"dedup.merge", "dedup.keep", "dedup.skip", "dedup.undo", "dedup.revisit", "app.help", "app.quit",
            "app.reload", "help.close"} <= set(known)
    assert known["help.close"].keys == "escape,?,q"


def test_where_the_keymap_file_is_looked_for(tmp_path, monkeypatch):
    monkeypatch.delenv("REVIEW_KEYMAP", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert keymap_path() == tmp_path / "cfg" / "review" / "keymap.toml"
    assert load_keymap() == ({}, None)  # no file: the defaults
    keymap_path().parent.mkdir(parents=True)
    keymap_path().write_text('dedup.skip = "space"\n')
    assert load_keymap() == ({"dedup.skip": "space"}, keymap_path())
    mine = tmp_path / "mine.toml"
    monkeypatch.setenv("REVIEW_KEYMAP", str(mine))
    with pytest.raises(BadInput, match="mine.toml: no such keymap file"):
        load_keymap()
    mine.write_text("[dedup]\nundo = 'z'\n")
    assert load_keymap() == ({"dedup.undo": "z"}, mine)


def test_cli_refuses_a_bad_keymap_before_opening(pairs_project, tmp_path):
    bad = tmp_path / "keymap.toml"
    bad.write_text('# mine\ndedup.merge = "m"\ndedup.keep = "m"\n')
    r = CliRunner().invoke(main, ["--db", str(pairs_project), "dedup", "review"], env={"REVIEW_KEYMAP": str(bad)})
    assert r.exit_code == 2
    assert f"{bad}:2: key 'm' would be both dedup.merge and dedup.keep" in r.output
    assert "Binding ids and their default keys" in r.output
