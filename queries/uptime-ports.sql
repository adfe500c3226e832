-- uptime-ports: the charging ports of the fleet.
-- Answers: which ports does uptime report on? A port is a connector (1.6;
--   connector 0 is the whole charge point, not a port) or an EVSE and
--   connector (2.x; EVSE 0 is the whole charging station, not a port), as
--   seen in status reports.
-- Parameters: :cp  one charge point, or NULL for all
-- Columns: charge_point, evse, connector
SELECT DISTINCT charge_point, evse, connector
FROM status_intervals
WHERE (evse > 0 OR (evse IS NULL AND connector > 0))
  AND (:cp IS NULL OR charge_point = :cp)
ORDER BY charge_point, evse, connector;
