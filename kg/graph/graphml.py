"""GraphML text of nodes and edges, typed by the schema, written in one pass.

The attribute keys come from the schema (a property typed two ways becomes a
string), so the header can be written before the first node and the file
streamed: nothing is held but the open handle.
"""

from __future__ import annotations

import json
import re
from typing import Any

from kg.errors import SchemaError
from kg.model import Edge, Entity
from kg.schema import Schema

_XML_SPECIAL = re.compile("[&<>\"\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_TABLE = {**{code: None for code in (*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF)},
              ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;"}
_GRAPHML_TYPES = {"string": "string", "string[]": "string", "long": "long", "double": "double", "boolean": "boolean"}
_JSON = json.JSONEncoder(ensure_ascii=False).encode
_HEADER = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)
FOOTER = "  </graph>\n</graphml>\n"


def xml_text(value: str) -> str:
    """Text safe inside an XML element or attribute (characters XML 1.0 forbids are dropped).

    Examples
    --------
    >>> xml_text('A&B <"链">\x01')
    'A&amp;B &lt;&quot;链&quot;&gt;'
    """
    return value if _XML_SPECIAL.search(value) is None else value.translate(_XML_TABLE)


def graphml_keys(schema: Schema) -> tuple[dict[str, str], dict[str, str]]:
    """GraphML attribute types of nodes and edges, from the schema (a name typed two ways becomes a string)."""

    def merge(into: dict[str, str], properties: dict[str, str]) -> None:
        for name, type_name in properties.items():
            graphml = _GRAPHML_TYPES[type_name]
            into[name] = graphml if into.get(name, graphml) == graphml else "string"

    nodes = {"label": "string", "name": "string", "aliases": "string", "mention_count": "long"}
    for node_type in schema.nodes.values():
        merge(nodes, node_type.properties)
    edges = {"type": "string", "evidence_count": "long", "sentence": "string"}
    for relation in schema.relations.values():
        merge(edges, relation.properties)
    return nodes, edges


def graphml_value(value: Any, type_name: str, where: str) -> str:
    """A property value as GraphML text of the declared type; lists become JSON text.

    Examples
    --------
    >>> graphml_value("12", "long", "count"), graphml_value(["a"], "string", "titles")
    ('12', '["a"]')
    """
    try:
        if type_name == "long":
            return str(int(value))
        if type_name == "double":
            return repr(float(value))
    except (TypeError, ValueError) as exc:
        raise SchemaError(f"{where}: {value!r} is not a {type_name}") from exc
    if type_name == "boolean":
        return "true" if value else "false"
    if isinstance(value, (list, tuple, dict)):
        return _JSON(value)
    return str(value)


class GraphMLText:
    """The GraphML text of a graph, element by element, typed by ``schema``.

    Examples
    --------
    >>> from kg.schema import load_schema
    >>> text = GraphMLText(load_schema())
    >>> text.node(Entity("p1", "Place", "牟平区", [], {"kind": "district"}, [])).splitlines()[0]
    '    <node id="p1">'
    """

    def __init__(self, schema: Schema) -> None:
        self._node_types, self._edge_types = graphml_keys(schema)
        self._open_tags = {scope: {name: f'      <data key="{scope}_{name}">' for name in types}
                           for scope, types in (("n", self._node_types), ("e", self._edge_types))}

    def header(self) -> str:
        """The XML declaration, the attribute keys and the opening ``<graph>`` tag."""
        parts = [_HEADER]
        for scope, types in (("node", self._node_types), ("edge", self._edge_types)):
            for name, type_name in types.items():
                parts.append(f'  <key id="{scope[0]}_{name}" for="{scope}" attr.name="{name}" attr.type="{type_name}"/>\n')
        parts.append('  <graph edgedefault="directed">\n')
        return "".join(parts)

    def _data(self, scope: str, name: str, value: Any) -> str:
        type_name = (self._node_types if scope == "n" else self._edge_types).get(name)
        if type_name is None:
            raise SchemaError(f"property {name!r} is not in the schema")
        text = value if type_name == "string" and value.__class__ is str else graphml_value(value, type_name, name)
        return f"{self._open_tags[scope][name]}{xml_text(text)}</data>\n"

    def node(self, entity: Entity) -> str:
        """The ``<node>`` element of ``entity``.

        Raises
        ------
        SchemaError
            For a property the schema does not declare or a value of the wrong type.
        """
        data = self._data
        try:
            parts = [f'    <node id="{xml_text(entity.id)}">\n', data("n", "label", entity.label), data("n", "name", entity.name),
                     data("n", "aliases", entity.aliases)]
            parts.extend(data("n", key, value) for key, value in entity.props.items() if value is not None)
        except SchemaError as exc:
            raise SchemaError(f"{entity.label} {entity.id}: {exc}") from exc
        parts.append(data("n", "mention_count", len(entity.mentions)))
        parts.append("    </node>\n")
        return "".join(parts)

    def edge(self, edge: Edge) -> str:
        """The ``<edge>`` element of ``edge``.

        Raises
        ------
        SchemaError
            For a property the schema does not declare or a value of the wrong type.
        """
        data = self._data
        try:
            parts = [f'    <edge id="{xml_text(edge.id)}" source="{xml_text(edge.source)}" target="{xml_text(edge.target)}">\n',
                     data("e", "type", edge.type), data("e", "evidence_count", len(edge.evidence))]
            parts.extend(data("e", key, value) for key, value in edge.props.items() if value is not None)
            if edge.evidence:
                parts.append(data("e", "sentence", edge.evidence[0]["sentence"]))
        except SchemaError as exc:
            raise SchemaError(f"{edge.type} {edge.id}: {exc}") from exc
        parts.append("    </edge>\n")
        return "".join(parts)

