-- anomaly-heartbeat-gaps: chargers that went quiet for longer than their heartbeat interval allows.
-- Answers: which chargers miss heartbeats (a struggling modem or firmware),
--   including gaps too short to count as offline? A gap is two consecutive
--   messages from the charge point on one connection further apart than
--   :factor times its heartbeat interval (a charger may skip a heartbeat when
--   it sent something else, so every message counts as a sign of life).
-- Parameters: :factor (default 1.5), :cp
-- Columns: charge_point, connector, from_us, to_us, detail
WITH life AS (
  SELECT m.charge_point, m.connection_id, m.time_us, m.id,
         lead(m.time_us) OVER (PARTITION BY m.connection_id ORDER BY m.time_us, m.id) AS next_us
  FROM messages m
  WHERE m.direction = 'cp_to_csms' AND (:cp IS NULL OR m.charge_point = :cp)
)
SELECT life.charge_point, NULL AS connector, life.time_us AS from_us, life.next_us AS to_us,
       'nothing from the charger for ' || ((life.next_us - life.time_us) / 1000000) || ' s (heartbeat interval '
         || cp.heartbeat_interval_s || ' s; last message ' || life.id || ')' AS detail
FROM life JOIN charge_points cp ON cp.identity = life.charge_point
WHERE life.next_us IS NOT NULL AND cp.heartbeat_interval_s > 0
  AND life.next_us - life.time_us > coalesce(:factor, 1.5) * cp.heartbeat_interval_s * 1000000
ORDER BY life.charge_point, life.time_us;
