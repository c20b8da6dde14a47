"""Protocol loading and validation: the seed protocol loads; bad ones get an
error naming the file, the key and what was expected."""

from pathlib import Path

import pytest

from review.errors import ProtocolError
from review.protocol import load_protocol, parse_protocol

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "protocols" / "car-t-2025.toml"

MINIMAL = """
id = "mini"
title = "A minimal review"

[[fields]]
name = "n"
type = "int"

[[fields]]
name = "responders"
type = "int"

[[outcomes]]
name = "ORR"
events = "responders"
n = "n"
"""


def test_seed_protocol_states_the_seed_review():
    p = load_protocol(SEED)
    assert p.id == "car-t-2025"
    assert p.registration == "PROSPERO CRD4202347646"
    assert p.people.reviewers == ("QZ", "XJZ") and p.people.adjudicators == ("JM",)
    assert p.sources.pubmed is not None and p.sources.pubmed.maxdate == "2025/01/01"
    assert {d.name for d in p.sources.databases} == {"CNKI", "Wanfang"}
    assert p.rules.min_impact_factor == 10
    assert "Case Reports" in p.rules.exclude_publication_types
    assert {"ORR", "CRR", "DR"} <= {o.name for o in p.outcomes}
    assert p.outcome("orr").percent == "orr" and p.outcome("ORR").n == "n"
    assert p.field("cancer").choices == ("myeloma", "leukemia", "lymphoma", "solid")
    assert p.field("age").type == "median_range"
    assert p.quality.tool == "MINORS" and p.quality.n_items == 8
    assert p.analyses[0].outcomes == ("ORR", "CRR", "DR")
    assert p.analyses[0].subgroups == ("cancer", "country")


def test_minimal_protocol_gets_defaults():
    p = parse_protocol(MINIMAL, "mini.toml")
    assert p.screening.stages == ("title_abstract", "full_text")
    assert p.sources.pubmed is None and p.sources.databases == ()
    assert p.quality.comparative is False


def test_protocol_is_frozen():
    p = parse_protocol(MINIMAL)
    with pytest.raises(AttributeError):
        p.id = "other"  # type: ignore[misc]


@pytest.mark.parametrize(
    "edit, key, expected",
    [
        (lambda s: s.replace('id = "mini"', 'id = "Mini Review!"'), "id", "lower-case letters"),
        (lambda s: s.replace('title = "A minimal review"\n', ""), "title", "missing"),
        (lambda s: s + '\n[rules]\nmin_impact_factor = "ten"\n', "rules.min_impact_factor",
         "expected a number, got 'ten'"),
        (lambda s: s + '\n[rules]\nmin_impact_factr = 10\n', "rules.min_impact_factr",
         "did you mean 'min_impact_factor'"),
        (lambda s: s + '\n[sources.pubmed]\nquery = "x"\nmaxdate = "Jan 2025"\n', "sources.pubmed.maxdate",
         "expected a date YYYY/MM/DD"),
        (lambda s: s + '\n[sources.pubmed]\nmindate = "2020/01/01"\n', "sources.pubmed.query", "missing"),
        (lambda s: s.replace('type = "int"\n\n[[fields]]\nname = "responders"',
                             'type = "integer"\n\n[[fields]]\nname = "responders"'),
         "fields[0].type", "expected one of int, float"),
        (lambda s: s.replace('events = "responders"', 'events = "responder"'), "outcomes[0].events",
         "expected the name of a field"),
        (lambda s: s.replace('events = "responders"', 'events = "responders"\npercent = "n"'), "outcomes[0]",
         "exactly one of 'events'"),
        (lambda s: s + '\n[[analyses]]\noutcomes = ["ORR"]\nsm = "LOGIT"\n', "analyses[0].sm",
         "expected one of PLOGIT"),
        (lambda s: s + '\n[[analyses]]\noutcomes = ["OS"]\n', "analyses[0].outcomes",
         "expected names from [[outcomes]]"),
        (lambda s: s + '\n[people]\nreviewers = "QZ"\n', "people.reviewers", "expected a list of non-empty strings"),
        (lambda s: s + '\n[people]\nreviewers = ["A"]\nadjudicators = ["A"]\n', "people",
         "cannot be both reviewer and adjudicator"),
        (lambda s: s + '\n[quality]\ntool = "ROBINS-I"\n', "quality.tool", "expected one of MINORS"),
        (lambda s: s + '\n[[fields]]\nname = "group"\ntype = "choice"\n', "fields[2].choices",
         "non-empty list"),
        (lambda s: s + '\n[[fields]]\nname = "n"\ntype = "int"\n', "fields[2].name", "duplicate field name"),
        (lambda s: s + '\n[[sources.databases]]\nname = "CNKI"\nformat = "docx"\n',
         "sources.databases[0].format", "expected one of auto"),
        (lambda s: s + '\n[rules]\nyear_min = 2020\nyear_max = 2010\n', "rules.year_min",
         "expected a year <= rules.year_max"),
    ],
)
def test_malformed_protocol_names_file_key_and_expectation(tmp_path, edit, key, expected):
    path = tmp_path / "bad.toml"
    path.write_text(edit(MINIMAL), encoding="utf-8")
    with pytest.raises(ProtocolError) as err:
        load_protocol(path)
    msg = str(err.value)
    assert msg.startswith(f"{path}: key '{key}'"), msg
    assert expected in msg, msg


def test_toml_syntax_error_names_file_and_line(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('id = "x"\ntitle = "unterminated\n', encoding="utf-8")
    with pytest.raises(ProtocolError) as err:
        load_protocol(path)
    assert str(path) in str(err.value) and "line 2" in str(err.value)


def test_missing_and_non_utf8_files(tmp_path):
    with pytest.raises(ProtocolError, match="no such file"):
        load_protocol(tmp_path / "absent.toml")
    bad = tmp_path / "latin1.toml"
    bad.write_bytes('id = "x"\ntitle = "caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(ProtocolError, match="not UTF-8"):
        load_protocol(bad)
