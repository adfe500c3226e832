-- anomaly-sessions-never-stopped: sessions with no stop, or running very long.
-- Answers: which sessions lost their stop (reboot, lost message) or are still
--   open after :max_hours, so billing cannot be final?
-- Parameters: :max_hours (default 24), :cp
-- Columns: charge_point, connector, from_us, to_us, detail
SELECT charge_point, connector, coalesce(started_us, started_observed_us) AS from_us,
       coalesce(stopped_us, stopped_observed_us) AS to_us,
       'session ' || session_no || ' (transaction ' || coalesce(transaction_id, '?') || '): '
         || CASE WHEN flags LIKE '%"missing_stop"%' THEN 'stop never seen; energy estimated'
                 ELSE 'still open at the end of the data' END AS detail
FROM transactions
WHERE (flags LIKE '%"missing_stop"%'
       OR (flags LIKE '%"open_at_end"%' AND coalesce(stopped_observed_us, started_observed_us) - started_observed_us
            > coalesce(:max_hours, 24) * 3600000000))
  AND (:cp IS NULL OR charge_point = :cp)
ORDER BY charge_point, from_us;
