-- anomaly-stuck-status: connectors stuck in Preparing, Finishing or SuspendedEV.
-- Answers: where do drivers plug in and nothing happens, or sessions do not
--   release the connector? Intervals longer than :max_minutes.
-- Parameters: :max_minutes (default 30), :cp
-- Columns: charge_point, connector, from_us, to_us, detail
SELECT charge_point, connector, from_us, to_us,
       status || ' for ' || ((to_us - from_us) / 60000000) || ' min'
         || CASE WHEN to_is_data_end = 1 THEN ' (still at the end of the data)' ELSE '' END AS detail
FROM status_intervals
WHERE status IN ('Preparing', 'Finishing', 'SuspendedEV') AND to_us IS NOT NULL
  AND to_us - from_us > coalesce(:max_minutes, 30) * 60000000
  AND (:cp IS NULL OR charge_point = :cp)
ORDER BY charge_point, from_us;
