"""Which satkers a directorate reports on (reference §2.3, made explicit by the hierarchy).

A directorate reports on itself and on the active ORG satkers under it or under its own
parent (the Polres of its Polda). Reports that list a population's home satkers add those
too (a member may live in a satker outside the tree).
"""

from __future__ import annotations

# The ids of the directorate's ORG satkers; `:client_id` is the directorate.
ORG_SATKERS_OF_DIRECTORATE_SQL = """
    SELECT c.client_id FROM clients c
    WHERE c.status AND c.type = 'org' AND (
          c.parent_id = :client_id
       OR c.parent_id = (SELECT parent_id FROM clients WHERE client_id = :client_id))
"""

# (client_id, name) of the directorate itself, its ORG satkers and the home satker of any
# active member.
SATKERS_OF_DIRECTORATE_SQL = f"""
    SELECT c.client_id, c.name FROM clients c
    WHERE c.client_id = :client_id OR c.client_id IN ({ORG_SATKERS_OF_DIRECTORATE_SQL})
    UNION
    SELECT c.client_id, c.name FROM clients c
    JOIN personnel p ON p.client_id = c.client_id AND p.status
    JOIN directorate_memberships m ON m.user_id = p.user_id AND m.directorate_id = :client_id
"""
