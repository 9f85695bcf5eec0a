"""The exchange between Minsheng nodes (川渝通办): signed envelopes, a transactional
outbox, a de-duplicating inbox and the delivery worker."""
