"""Servers' own questions: proposed by members, reviewed by admins, shared as packs (`/trivia question ...`).

`pack.py` (a question's rules, the pack file), `store.py` (proposals, the review queue, the pool, imports),
`picking.py` (a round's next question over the catalogue's and the server's), `cards.py` (what they look like)
have no discord import; `cog.py` is the `/trivia question` group, its buttons and its form.
"""
