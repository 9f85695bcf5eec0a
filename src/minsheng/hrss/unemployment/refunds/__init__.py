"""稳岗返还: job-stabilisation refunds, a sub-domain of unemployment insurance (the refund
rules live in ``unemployment.rules``; the rule parameters in ``unemployment.models``)."""
