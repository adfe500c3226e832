-- anomaly-remote-start-without-session: remote starts that never became a session.
-- Answers: which app or roaming starts did the charger accept (or reject)
--   without a session following — the driver saw "starting…" and nothing?
-- Parameters: :cp
-- Columns: charge_point, connector, from_us, to_us, detail
SELECT m.charge_point, NULL AS connector, m.time_us AS from_us, r.time_us AS to_us,
       m.action || ' ' || m.unique_id || ' answered ' || coalesce(json_extract(r.payload, '$.status'), r.type, 'nothing')
         || ', no session followed' AS detail
FROM messages m
-- Answers carry their CALL's action: the (action, time) index finds them without a scan.
LEFT JOIN messages r ON r.charge_point = m.charge_point AND r.action = m.action AND r.time_us >= m.time_us AND r.request_id = m.id
WHERE m.type = 'CALL' AND m.action IN ('RemoteStartTransaction', 'RequestStartTransaction')
  AND NOT EXISTS (SELECT 1 FROM transactions t WHERE t.charge_point = m.charge_point AND t.remote_start_message = m.id)
  AND (:cp IS NULL OR m.charge_point = :cp)
ORDER BY m.charge_point, m.time_us;
