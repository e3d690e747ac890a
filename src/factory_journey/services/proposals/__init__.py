"""Join the Journey (#18): pathway proposals, committee review, and the methodology versions
accepted proposals build. One use case per module:

- `drafting`: create and edit a draft, attach documents;
- `submission`: submit a version (frozen from then on), revise into a new draft version;
- `reviewing`: a committee seat's review and the decision the rubric's rule makes;
- `reading`: what an organisation may see of proposals, versions, reviews and history;
- `committee`: the seats of the review committee;
- `builds`: the methodology versions built from accepted proposals, and assessing with one;
- `rubric`: the rubric and decision rule (reference data), pure;
- `forms`: the web pages' proposal and review forms, turned into the use cases' arguments;
- `records`: the shared lookups, history and notifications of the use cases above.
"""
