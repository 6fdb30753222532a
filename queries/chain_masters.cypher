// name: chain_masters
// answers: Which chain-master firms (链主) each industrial chain has, where they are, and which projects were brought in to support each of them; one row per chain master and supporting project, grouped by chain and place.
// param: chain (string, default "") only this chain (name or alias); "" for every chain
// param: place (string, default "") only chain masters located in this place (name or alias); "" for everywhere
// example: kg query chain_masters --build out/sample --param place=青禾镇
MATCH (m:Enterprise)-[cm:CHAIN_MASTER_OF]->(c:Chain)
WHERE $chain = '' OR c.name = $chain OR $chain IN c.aliases
OPTIONAL MATCH (m)-[:LOCATED_IN]->(p:Place)
WITH c, cm, m, p
WHERE $place = '' OR p.name = $place OR $place IN p.aliases
OPTIONAL MATCH (s:Project)-[:SUPPORTS]->(m)
RETURN c.name AS chain, p.name AS place, m.name AS chain_master, cm.inferred AS inferred,
       s.name AS supporting_project,
       c.id AS chain_id, p.id AS place_id, m.id AS chain_master_id, s.id AS supporting_project_id
ORDER BY chain, place, chain_master, supporting_project
