// name: place_chains
// answers: Which industrial chains a place develops, with the tier (核心, 主导, 新兴 …) and the scale (千亿级 …) the text gives.
// param: place (string, default "") the place (name or alias); "" for every place
// example: kg query place_chains --build out/sample --param place=青禾镇
MATCH (p:Place)-[d:DEVELOPS]->(c:Chain)
WHERE $place = '' OR p.name = $place OR $place IN p.aliases
RETURN p.name AS place, c.name AS chain, d.tier AS tier, d.scale AS scale, p.id AS place_id, c.id AS chain_id
ORDER BY place, chain
