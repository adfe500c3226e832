-- uptime-connectivity: online and offline intervals of each charge point.
-- Answers: when was each charge point reachable, and how did each offline
--   period begin (closed, rst, silent) and end (connect, boot, message,
--   end-of-data)? Derived by the history from connections, boots and
--   silence longer than 2x the heartbeat interval.
-- Parameters: :cp  one charge point, or NULL for all
-- Columns: charge_point, online, from_us, to_us, began, ended, from_message, to_message
SELECT charge_point, online, from_us, to_us, began, ended, from_message, to_message
FROM connectivity
WHERE (:cp IS NULL OR charge_point = :cp)
ORDER BY charge_point, from_us;
