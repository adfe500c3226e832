-- anomaly-clock-skew: chargers whose clock disagrees with the observer's.
-- Answers: whose timestamps can't be trusted for billing or incident times?
--   The skew is the median of (charger time − capture time) over live reports.
-- Parameters: :max_seconds (default 60), :cp
-- Columns: charge_point, connector, from_us, to_us, detail
SELECT identity AS charge_point, NULL AS connector, first_seen_us AS from_us, last_seen_us AS to_us,
       'clock ' || CASE WHEN clock_skew_s > 0 THEN 'ahead' ELSE 'behind' END || ' by '
         || printf('%.0f', abs(clock_skew_s)) || ' s (median of ' || clock_samples || ' reports)' AS detail
FROM charge_points
WHERE abs(clock_skew_s) > coalesce(:max_seconds, 60) AND (:cp IS NULL OR identity = :cp)
ORDER BY abs(clock_skew_s) DESC;
