// name: project_investment
// answers: Projects with a stated investment in yuan, per chain and place, largest first within each chain and place; chain is empty for a project the text puts in no chain (IN_CHAIN), as for every invested project of the sample pages.
// param: chain (string, default "") only projects in this chain (name or alias); "" for all
// param: place (string, default "") only projects located in this place (name or alias); "" for all
// param: min_yuan (int, default 0) only projects of at least this many yuan
// example: kg query project_investment --build out/sample --param min_yuan=100000000
MATCH (pr:Project)
WHERE pr.investment_yuan IS NOT NULL AND pr.investment_yuan >= $min_yuan
OPTIONAL MATCH (pr)-[:IN_CHAIN]->(c:Chain)
OPTIONAL MATCH (pr)-[:LOCATED_IN]->(p:Place)
WITH pr, c, p
WHERE ($chain = '' OR c.name = $chain OR $chain IN c.aliases)
  AND ($place = '' OR p.name = $place OR $place IN p.aliases)
RETURN c.name AS chain, p.name AS place, pr.name AS project, pr.investment_yuan AS investment_yuan,
       pr.investment_text AS investment_text, pr.status AS status,
       c.id AS chain_id, p.id AS place_id, pr.id AS project_id
ORDER BY chain, place, investment_yuan DESC, project
