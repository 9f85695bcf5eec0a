"""Employment services (就业服务): job seekers, vacancies, matching, applications,
referrals and placements, key groups, zero-employment households and indicators."""
