// name: enterprise_neighbourhood
// answers: Everything one enterprise is directly connected to (its places, chains, projects, supporters and supported firms, people, inspections and articles), one row per relation, with the number of evidence items behind it.
// param: enterprise (string) the enterprise (name or alias)
// example: kg query enterprise_neighbourhood --build out/sample --param enterprise=恒澜电气
// Neo4j 5 and FalkorDB; enterprise_neighbourhood.ladybug.cypher is the same query for the embedded store.
MATCH (e:Enterprise)-[r]-(n)
WHERE e.name = $enterprise OR $enterprise IN e.aliases
RETURN e.name AS enterprise, type(r) AS relation, CASE WHEN startNode(r) = e THEN 'out' ELSE 'in' END AS direction,
       labels(n)[0] AS neighbour_label, n.name AS neighbour, size(r.evidence) AS evidence,
       e.id AS enterprise_id, n.id AS neighbour_id, r.id AS relation_id
ORDER BY enterprise, relation, direction, neighbour
