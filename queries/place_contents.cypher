// name: place_contents
// answers: Everything under a place, its sub-places included (down to ten levels): every sub-place, enterprise, project and organisation located in it, each with the place that directly holds it.
// param: place (string) the place (name or alias)
// example: kg query place_contents --build out/sample --param place=章贡区
MATCH (root:Place)
WHERE root.name = $place OR $place IN root.aliases
MATCH (within:Place)-[:LOCATED_IN*0..10]->(root)
WITH DISTINCT root, within
MATCH (x:Place)-[:LOCATED_IN]->(within)
RETURN root.name AS place, within.name AS within, 'Place' AS label, x.name AS name,
       root.id AS place_id, within.id AS within_id, x.id AS id
UNION ALL
MATCH (root:Place)
WHERE root.name = $place OR $place IN root.aliases
MATCH (within:Place)-[:LOCATED_IN*0..10]->(root)
WITH DISTINCT root, within
MATCH (x:Enterprise)-[:LOCATED_IN]->(within)
RETURN root.name AS place, within.name AS within, 'Enterprise' AS label, x.name AS name,
       root.id AS place_id, within.id AS within_id, x.id AS id
UNION ALL
MATCH (root:Place)
WHERE root.name = $place OR $place IN root.aliases
MATCH (within:Place)-[:LOCATED_IN*0..10]->(root)
WITH DISTINCT root, within
MATCH (x:Project)-[:LOCATED_IN]->(within)
RETURN root.name AS place, within.name AS within, 'Project' AS label, x.name AS name,
       root.id AS place_id, within.id AS within_id, x.id AS id
UNION ALL
MATCH (root:Place)
WHERE root.name = $place OR $place IN root.aliases
MATCH (within:Place)-[:LOCATED_IN*0..10]->(root)
WITH DISTINCT root, within
MATCH (x:Organization)-[:LOCATED_IN]->(within)
RETURN root.name AS place, within.name AS within, 'Organization' AS label, x.name AS name,
       root.id AS place_id, within.id AS within_id, x.id AS id
