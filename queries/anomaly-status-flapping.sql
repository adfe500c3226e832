-- anomaly-status-flapping: a connector changing status many times in a short window.
-- Answers: which connectors flap (loose contacts, faulty sensors)?
-- Parameters: :count (default 6), :window_minutes (default 30), :cp
-- Columns: charge_point, connector, from_us, to_us, detail
WITH changes AS (
  SELECT charge_point, evse, connector, from_us,
         lead(from_us, coalesce(:count, 6) - 1) OVER (PARTITION BY charge_point, evse, connector ORDER BY from_us) AS nth_us
  FROM status_intervals
  WHERE (:cp IS NULL OR charge_point = :cp)
)
SELECT charge_point, connector, from_us, nth_us AS to_us,
       coalesce(:count, 6) || ' status changes within ' || ((nth_us - from_us) / 60000000) || ' min'
         || CASE WHEN evse IS NOT NULL THEN ' (evse ' || evse || ')' ELSE '' END AS detail
FROM changes
WHERE nth_us IS NOT NULL AND nth_us - from_us <= coalesce(:window_minutes, 30) * 60000000
ORDER BY charge_point, connector, from_us;
