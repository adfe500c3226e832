-- anomaly-reconnect-storms: many WebSocket connections opened within a short window.
-- Answers: which chargers keep reconnecting (flaky links, CSMS rejecting them)?
-- Parameters: :count (default 5), :window_minutes (default 30), :cp
-- Columns: charge_point, connector, from_us, to_us, detail
WITH opens AS (
  SELECT charge_point, opened_us,
         lead(opened_us, coalesce(:count, 5) - 1) OVER (PARTITION BY charge_point ORDER BY opened_us) AS nth_us
  FROM connections
  WHERE opened_us IS NOT NULL AND (:cp IS NULL OR charge_point = :cp)
)
SELECT charge_point, NULL AS connector, opened_us AS from_us, nth_us AS to_us,
       coalesce(:count, 5) || ' connections within ' || ((nth_us - opened_us) / 60000000) || ' min' AS detail
FROM opens
WHERE nth_us IS NOT NULL AND nth_us - opened_us <= coalesce(:window_minutes, 30) * 60000000
ORDER BY charge_point, opened_us;
