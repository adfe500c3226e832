-- uptime-coverage: the time spans the data covers, per charge point.
-- Answers: when could we have seen a charge point? Each source that holds a
--   connection of it covers it from the source's first to its last record;
--   outside these spans its minutes are unknown, never up.
-- Parameters: :cp  one charge point, or NULL for all
-- Columns: charge_point, from_us, to_us
SELECT DISTINCT c.charge_point, s.first_us AS from_us, s.last_us AS to_us
FROM connections c JOIN sources s ON s.id = c.source_id
WHERE s.first_us IS NOT NULL AND s.last_us IS NOT NULL
  AND (:cp IS NULL OR c.charge_point = :cp)
ORDER BY c.charge_point, s.first_us;
