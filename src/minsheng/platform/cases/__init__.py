"""Cases (办件): every application a citizen or employer files gets a case number and a
progress trail (received → accepted → decided → done) that the applicant can follow."""
