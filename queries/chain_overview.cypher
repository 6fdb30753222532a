// name: chain_overview
// answers: One industrial chain at a glance: the places and organisations that develop it (with the tier), its chain masters, its leading firms (with their role), and the firms and projects placed in it.
// param: chain (string) the chain (name or alias)
// example: kg query chain_overview --build out/sample --param chain=新能源汽车及汽车零部件
MATCH (x:Place)-[r:DEVELOPS]->(c:Chain)
WHERE c.name = $chain OR $chain IN c.aliases
RETURN c.name AS chain, 'DEVELOPS' AS relation, 'Place' AS label, x.name AS name, r.tier AS detail,
       c.id AS chain_id, x.id AS id
UNION ALL
MATCH (x:Organization)-[r:DEVELOPS]->(c:Chain)
WHERE c.name = $chain OR $chain IN c.aliases
RETURN c.name AS chain, 'DEVELOPS' AS relation, 'Organization' AS label, x.name AS name, r.tier AS detail,
       c.id AS chain_id, x.id AS id
UNION ALL
MATCH (x:Enterprise)-[r:CHAIN_MASTER_OF]->(c:Chain)
WHERE c.name = $chain OR $chain IN c.aliases
RETURN c.name AS chain, 'CHAIN_MASTER_OF' AS relation, 'Enterprise' AS label, x.name AS name, '' AS detail,
       c.id AS chain_id, x.id AS id
UNION ALL
MATCH (x:Enterprise)-[r:LEADS_CHAIN]->(c:Chain)
WHERE c.name = $chain OR $chain IN c.aliases
RETURN c.name AS chain, 'LEADS_CHAIN' AS relation, 'Enterprise' AS label, x.name AS name, r.role AS detail,
       c.id AS chain_id, x.id AS id
UNION ALL
MATCH (x:Enterprise)-[r:IN_CHAIN]->(c:Chain)
WHERE c.name = $chain OR $chain IN c.aliases
RETURN c.name AS chain, 'IN_CHAIN' AS relation, 'Enterprise' AS label, x.name AS name, '' AS detail,
       c.id AS chain_id, x.id AS id
UNION ALL
MATCH (x:Project)-[r:IN_CHAIN]->(c:Chain)
WHERE c.name = $chain OR $chain IN c.aliases
RETURN c.name AS chain, 'IN_CHAIN' AS relation, 'Project' AS label, x.name AS name, '' AS detail,
       c.id AS chain_id, x.id AS id
