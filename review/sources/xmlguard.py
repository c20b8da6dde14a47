"""Guards every XML reader passes before parsing: no entity declarations, a
bounded depth.

ElementTree expands entities declared in a document's internal DTD subset,
so a few hundred bytes of nested declarations ("billion laughs") can expand
to gigabytes (expat >= 2.4 stops the worst with its amplification limit, but
with a misleading "damaged XML" message, and smaller bombs pass it). No
PubMed or EndNote export declares entities, so any declaration is refused
with its line. A pre-pass with pyexpat over the prolog only (it stops at the
first element) finds them; the main parse keeps the fast C ElementTree
(defusedxml would do the same check but through the slow pure-Python parser).

Depth: PubMed and EndNote records nest a dozen levels (MathML a few more);
an element nested deeper than MAX_DEPTH is refused (deep trees make
recursive code fail and cost memory without carrying data).
"""

from __future__ import annotations

import xml.parsers.expat

from review.errors import BadInput

MAX_DEPTH = 256


class _Prolog(Exception):
    """The first element started: the prolog (where a DTD lives) is over."""


def refuse_entity_declarations(data: bytes, where: str) -> None:
    """BadInput naming the line when the document's DTD declares an entity."""
    parser = xml.parsers.expat.ParserCreate()

    def entity(name, is_parameter, value, base, system_id, public_id, notation):
        raise BadInput(f"line {parser.CurrentLineNumber}: the XML declares an entity ({'%' if is_parameter else ''}"
                       f"{name}); entity declarations are refused (they can expand to gigabytes: an"
                       " 'entity expansion' bomb), and no PubMed or EndNote export has them", where=where)

    def start(*_):
        raise _Prolog

    parser.EntityDeclHandler = entity
    parser.StartElementHandler = start
    try:
        parser.Parse(data, True)
    except (_Prolog, xml.parsers.expat.ExpatError):
        return  # the prolog had no declaration; errors are reported by the main parse


def too_deep(data: bytes, where: str) -> BadInput:
    """The error for a document nesting elements deeper than MAX_DEPTH, naming
    the line of the first element too deep (found by a second, light parse)."""
    parser = xml.parsers.expat.ParserCreate()
    depth = [0]
    line = ["?"]

    def start(*_):
        depth[0] += 1
        if depth[0] > MAX_DEPTH:
            line[0] = parser.CurrentLineNumber
            raise _Prolog

    def end(*_):
        depth[0] -= 1

    parser.StartElementHandler, parser.EndElementHandler = start, end
    try:
        parser.Parse(data, True)
    except (_Prolog, xml.parsers.expat.ExpatError):
        pass
    return BadInput(f"line {line[0]}: elements nested more than {MAX_DEPTH} deep (limit); not a PubMed or"
                    " EndNote export", where=f"{where}:{line[0]}")
