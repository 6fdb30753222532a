// name: relation_evidence
// answers: The evidence behind the relations from one named node (to another): each item is the JSON text {"doc", "end", "sentence", "start"} of the sentence that states the relation and where it is in which document.
// param: source (string) the node the relation starts from (name or alias)
// param: target (string, default "") the node it ends at (name or alias); "" for any
// param: relation (string, default "") only this relation type (LOCATED_IN, DEVELOPS …); "" for all
// example: kg query relation_evidence --build out/sample --param source=恒澜电气 --param relation=CHAIN_MASTER_OF
// Neo4j 5 and FalkorDB; relation_evidence.ladybug.cypher is the same query for the embedded store.
MATCH (a)-[r]->(b)
WHERE ($relation = '' OR type(r) = $relation)
  AND (a.name = $source OR $source IN a.aliases)
  AND ($target = '' OR b.name = $target OR $target IN b.aliases)
UNWIND r.evidence AS evidence
RETURN a.name AS source, type(r) AS relation, b.name AS target, evidence,
       a.id AS source_id, b.id AS target_id, r.id AS relation_id
ORDER BY source, relation, target, evidence
