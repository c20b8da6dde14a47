from click.testing import CliRunner

from review.cli import main


def test_version_prints():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert "review" in result.output
