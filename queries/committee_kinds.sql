-- Returns each nämnd or kontor of every municipality with what it is (kind: nämnd, kontor, förvaltning; NULL where not recorded, as for imported rows), so the deck's counts can name what they count.
select distinct mu.municipality, c.committee, c.kind
from main.committees as c
join main.municipalities as mu using (municipality_code)
order by mu.municipality, c.committee;
