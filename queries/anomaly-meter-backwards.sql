-- anomaly-meter-backwards: meters that went backwards or were reset during a session.
-- Answers: which meters misbehave (replacement, firmware bugs, rollover)?
-- Parameters: :cp
-- Columns: charge_point, connector, from_us, to_us, detail
SELECT charge_point, connector, coalesce(started_us, started_observed_us) AS from_us,
       coalesce(stopped_us, stopped_observed_us) AS to_us,
       'session ' || session_no || ': ' ||
         CASE WHEN flags LIKE '%"meter_reset"%' THEN 'meter reset' ELSE 'register went backwards' END
         || CASE WHEN flags LIKE '%"stop_below_start"%' THEN ', stop below start' ELSE '' END
         || ' (energy from ' || energy_source || ')' AS detail
FROM transactions
WHERE (flags LIKE '%"meter_reset"%' OR flags LIKE '%"register_backwards"%' OR flags LIKE '%"stop_below_start"%')
  AND (:cp IS NULL OR charge_point = :cp)
ORDER BY charge_point, from_us;
