-- anomaly-boot-loops: several boots within a short window.
-- Answers: which chargers reboot repeatedly (power, firmware crash loops)?
--   A finding is a BootNotification followed by at least :count - 1 more
--   within :window_minutes.
-- Parameters: :count (default 3), :window_minutes (default 60), :cp
-- Columns: charge_point, connector, from_us, to_us, detail
WITH boots AS (
  SELECT charge_point, time_us,
         lead(time_us, coalesce(:count, 3) - 1) OVER (PARTITION BY charge_point ORDER BY time_us) AS nth_us
  FROM messages
  WHERE type = 'CALL' AND action = 'BootNotification' AND (:cp IS NULL OR charge_point = :cp)
)
SELECT charge_point, NULL AS connector, time_us AS from_us, nth_us AS to_us,
       coalesce(:count, 3) || ' boots within ' || ((nth_us - time_us) / 60000000) || ' min' AS detail
FROM boots
WHERE nth_us IS NOT NULL AND nth_us - time_us <= coalesce(:window_minutes, 60) * 60000000
ORDER BY charge_point, time_us;
