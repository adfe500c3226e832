-- anomaly-schema-violations: payloads that break the official OCPP JSON schemas, by vendor, firmware and action.
-- Answers: which vendors and firmware versions send (or which CSMS answers
--   with) malformed payloads, and how often? Each message is validated at
--   ingest against the schema of its version and action; the violations are
--   in decode_issues (layer 'schema').
-- Parameters: :min_count (default 1), :cp
-- Columns: charge_point, connector, from_us, to_us, detail
SELECT NULL AS charge_point, NULL AS connector, min(m.time_us) AS from_us, max(m.time_us) AS to_us,
       coalesce(cp.vendor, '?') || ' ' || coalesce(cp.firmware, '?') || ' (OCPP ' || coalesce(m.ocpp_version, '?') || '), '
         || m.action || ' ' || CASE WHEN m.type = 'CALLRESULT' THEN 'response' ELSE 'request' END || ': '
         || count(*) || ' of ' || (SELECT count(*) FROM messages a JOIN charge_points ca ON ca.identity = a.charge_point
                                     WHERE a.action = m.action AND a.type = m.type AND a.schema_errors IS NOT NULL
                                       AND coalesce(ca.vendor, '') = coalesce(cp.vendor, '')
                                       AND coalesce(ca.firmware, '') = coalesce(cp.firmware, ''))
         || ' messages invalid, at ' || count(DISTINCT m.charge_point) || ' charge points' AS detail
FROM messages m LEFT JOIN charge_points cp ON cp.identity = m.charge_point
WHERE m.schema_errors > 0 AND (:cp IS NULL OR m.charge_point = :cp)
GROUP BY cp.vendor, cp.firmware, m.ocpp_version, m.action, m.type
HAVING count(*) >= coalesce(:min_count, 1)
ORDER BY count(*) DESC;
