// name: inspections
// answers: Which officials inspected what (firms, projects, places, organisations) and when, in date order; dates are ISO text, --MM-DD when neither the sentence nor the page states the year.
// param: person (string, default "") only this person (name or alias); "" for everyone
// param: since (string, default "") only inspections dated on or after this ISO date (YYYY-MM-DD), and those whose date has no year (--MM-DD, listed first: their year is unknown, so they are kept, not dropped); "" for all
// example: kg query inspections --build out/sample --param since=2024-01-01
MATCH (o:Person)-[i:INSPECTED]->(t)
WHERE ($person = '' OR o.name = $person OR $person IN o.aliases)
  AND ($since = '' OR i.date >= $since OR i.date STARTS WITH '--')
RETURN i.date AS date, o.name AS official, o.titles AS titles, i.verb AS verb, t.name AS inspected,
       o.id AS official_id, t.id AS inspected_id
ORDER BY date, official, inspected
