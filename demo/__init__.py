"""Demo data and the fake RapidAPI: what `cicero up` seeds and serves when nothing real is
configured, and what tests and benchmarks build their worlds from. Only the demo paths use
it (`cicero up --demo`, `cicero seed demo`, `cicero dev fake-rapidapi`, the demo numbers of
the /sandbox page); it imports only storage and the ground floor (cicero.clock).

- `seed`: the deterministic demo (clients, personnel, posts, engagement, link reports,
  special tasks, Satbinmas accounts) with its fixed phone numbers; `names`, `amplification`
  and `satbinmas` are its parts.
- `fake_world`, `fake_rapidapi`: a RapidAPI server on loopback over a world of posts;
  `rapidapi` starts it beside `cicero up` with the seeded posts.
"""
