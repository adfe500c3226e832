-- anomaly-offline-periods: offline periods longer than a threshold.
-- Answers: when and how did chargers drop off the network, and for how long?
-- Parameters: :min_minutes (default 10), :cp
-- Columns: charge_point, connector, from_us, to_us, detail
SELECT charge_point, NULL AS connector, from_us, to_us,
       'offline ' || ((to_us - from_us) / 60000000) || ' min: began ' || began || ', ended ' || ended AS detail
FROM connectivity
WHERE online = 0 AND to_us - from_us >= coalesce(:min_minutes, 10) * 60000000
  AND (:cp IS NULL OR charge_point = :cp)
ORDER BY charge_point, from_us;
