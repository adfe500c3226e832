-- anomaly-zero-energy-sessions: sessions that delivered (almost) nothing.
-- Answers: which sessions started but charged no energy (failed handshakes
--   with the car, blocked cables)? Energy below :min_wh, stopped sessions only.
-- Parameters: :min_wh (default 1), :cp
-- Columns: charge_point, connector, from_us, to_us, detail
SELECT charge_point, connector, coalesce(started_us, started_observed_us) AS from_us,
       coalesce(stopped_us, stopped_observed_us) AS to_us,
       'session ' || session_no || ' (transaction ' || coalesce(transaction_id, '?') || ') delivered '
         || coalesce(printf('%.0f', energy_wh), '?') || ' Wh, stop reason ' || coalesce(stop_reason, '?') AS detail
FROM transactions
WHERE energy_wh IS NOT NULL AND energy_wh < coalesce(:min_wh, 1) AND stop_message IS NOT NULL
  AND (:cp IS NULL OR charge_point = :cp)
ORDER BY charge_point, from_us;
