from click.testing import CliRunner

from review.cli import main


def test_version_prints():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert "review" in result.output


def test_top_level_help_lists_commands_in_workflow_order():
    from click.testing import CliRunner

    from review.cli import WORKFLOW, main

    out = CliRunner().invoke(main, ["--help"]).output
    listed = [line.split()[0] for line in out.split("Commands:")[1].splitlines() if line.strip()]
    assert listed == [n for n in WORKFLOW if n in main.commands]
    assert "..." not in out.split("Commands:")[1]
