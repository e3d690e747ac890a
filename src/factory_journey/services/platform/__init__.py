"""Platform use cases: accounts, access control, submissions, sharing, verification, audit."""
