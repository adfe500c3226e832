-- uptime-status: each connector's status intervals, judged up or down.
-- Answers: when was a port down by its own report? Down while Faulted or
--   Unavailable; up while Available, Preparing, Charging, SuspendedEV,
--   SuspendedEVSE, Finishing, Reserved or Occupied (NEVI: "available for use
--   or in use"); anything else is unknown. For 1.6, connector 0 stands for the
--   whole charge point and applies to all its connectors; for 2.x, EVSE 0.
-- Parameters: :cp  one charge point, or NULL for all
-- Columns: charge_point, evse, connector, from_us, to_us, status, error_code,
--   vendor_error_code, state (up | down | unknown), message_id, end_message_id
SELECT s.charge_point, s.evse, s.connector, s.from_us, s.to_us, s.status, s.error_code, s.vendor_error_code,
       CASE
         WHEN s.status IN ('Faulted', 'Unavailable') THEN 'down'
         WHEN s.status IN ('Available', 'Preparing', 'Charging', 'SuspendedEV', 'SuspendedEVSE', 'Finishing',
                           'Reserved', 'Occupied') THEN 'up'
         ELSE 'unknown'
       END AS state,
       s.message_id,
       (SELECT n.message_id FROM status_intervals n
         WHERE n.charge_point = s.charge_point AND n.connector = s.connector
           AND coalesce(n.evse, -1) = coalesce(s.evse, -1) AND n.from_us = s.to_us
         ORDER BY n.id LIMIT 1) AS end_message_id
FROM status_intervals s
WHERE (:cp IS NULL OR s.charge_point = :cp)
ORDER BY s.charge_point, s.from_us;
