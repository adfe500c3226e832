-- report-totals: how much traffic the report's period holds.
-- Answers: how many OCPP messages, from how many charge points, were seen in
--   the period, and when did the first and the last arrive? (The HTML
--   report's fleet overview; the span also becomes the report's period when
--   none is given.)
-- Parameters: :cp  one charge point, or NULL for all
--   :from_us, :to_us  the period [from, to) in microseconds, NULL for open ends
-- Columns: messages, charge_points, first_us, last_us
SELECT count(*) AS messages, count(DISTINCT charge_point) AS charge_points,
       min(time_us) AS first_us, max(time_us) AS last_us
FROM messages
WHERE (:cp IS NULL OR charge_point = :cp)
  AND (:from_us IS NULL OR time_us >= :from_us)
  AND (:to_us IS NULL OR time_us < :to_us);
