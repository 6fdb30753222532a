// name: enterprise_neighbourhood
// answers: The embedded-store form of enterprise_neighbourhood.cypher: LadybugDB has label() for labels()/type() and no startNode(), so each direction is its own part.
MATCH (e:Enterprise)-[r]->(n)
WHERE e.name = $enterprise OR $enterprise IN e.aliases
RETURN e.name AS enterprise, label(r) AS relation, 'out' AS direction,
       label(n) AS neighbour_label, n.name AS neighbour, size(r.evidence) AS evidence,
       e.id AS enterprise_id, n.id AS neighbour_id, r.id AS relation_id
UNION ALL
MATCH (e:Enterprise)<-[r]-(n)
WHERE e.name = $enterprise OR $enterprise IN e.aliases
RETURN e.name AS enterprise, label(r) AS relation, 'in' AS direction,
       label(n) AS neighbour_label, n.name AS neighbour, size(r.evidence) AS evidence,
       e.id AS enterprise_id, n.id AS neighbour_id, r.id AS relation_id
