// name: relation_evidence
// answers: The embedded-store form of relation_evidence.cypher: LadybugDB has label() where Neo4j has type().
MATCH (a)-[r]->(b)
WHERE ($relation = '' OR label(r) = $relation)
  AND (a.name = $source OR $source IN a.aliases)
  AND ($target = '' OR b.name = $target OR $target IN b.aliases)
UNWIND r.evidence AS evidence
RETURN a.name AS source, label(r) AS relation, b.name AS target, evidence,
       a.id AS source_id, b.id AS target_id, r.id AS relation_id
ORDER BY source, relation, target, evidence
