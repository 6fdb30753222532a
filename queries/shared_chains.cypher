// name: shared_chains
// answers: Which industrial chains two places both develop: every pair of places once, or, given a place, every other place that shares a chain with it.
// param: place (string, default "") only chains this place shares (name or alias); "" for every pair of places
// param: other (string, default "") only chains shared with this other place (name or alias); "" for any
// example: kg query shared_chains --build out/sample --param place=赣州市
MATCH (a:Place)-[da:DEVELOPS]->(c:Chain)<-[db:DEVELOPS]-(b:Place)
WHERE a.id <> b.id
  AND ($place = '' OR a.name = $place OR $place IN a.aliases)
  AND ($other = '' OR b.name = $other OR $other IN b.aliases)
  AND ($place <> '' OR $other <> '' OR a.name < b.name)
RETURN c.name AS chain, a.name AS place, b.name AS other_place, da.tier AS place_tier, db.tier AS other_tier,
       c.id AS chain_id, a.id AS place_id, b.id AS other_place_id
ORDER BY chain, place, other_place
