"""Open environmental data (#17): consent, published snapshots, public reads, bulk releases.

One use case per module: `licences` (the accepted licences, reference data), `publish`
(give, change and withdraw consent), `snapshot` (build a subject's published snapshot from
consented data), `consent_filter` (the one place that decides what consent lets out),
`public_read` (search and profiles for the public API and pages), `releases` (bulk files),
`aggregates` (peer statistics of groups of at least 5 contributors); for parks (decision
0033) `park_publish` (a park operator's consent, the same rules), `park_snapshot` (a park's
snapshot from its newest assessment, no member exposed) and `public_parks` (park search and
profile, listing only members that published themselves).
Public reads never touch the private tables (decision 0023).
"""
