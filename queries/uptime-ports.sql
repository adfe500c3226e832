-- uptime-ports: the charging ports of the fleet.
-- Answers: which ports does uptime report on? A port is a connector (1.6;
--   connector 0 is the whole charge point, not a port) or an EVSE and
--   connector (2.x), as seen in status reports.
-- Parameters: :cp  one charge point, or NULL for all
-- Columns: charge_point, evse, connector
SELECT DISTINCT charge_point, evse, connector
FROM status_intervals
WHERE (evse IS NOT NULL OR connector > 0)
  AND (:cp IS NULL OR charge_point = :cp)
ORDER BY charge_point, evse, connector;
