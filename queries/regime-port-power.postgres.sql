-- regime-port-power: the PostgreSQL text of regime-port-power.sql (see there).
-- Answers: the same; PostgreSQL walks a JSON array with jsonb_array_elements
--   where SQLite has json_each.
-- Parameters: :cp  one charge point, or NULL for all
-- Columns: charge_point, evse, connector, rated_kw, peak_kw
WITH ports AS (
  SELECT DISTINCT charge_point, evse, connector
  FROM status_intervals
  WHERE (evse > 0 OR (evse IS NULL AND connector > 0)) AND (:cp IS NULL OR charge_point = :cp)
),
rated AS (
  SELECT m.charge_point, CAST(rd #>> '{component,evse,id}' AS BIGINT) AS evse,
         max(CAST(rd #>> '{variableCharacteristics,maxLimit}' AS DOUBLE PRECISION)) / 1000.0 AS kw
  FROM messages m, jsonb_array_elements(CASE WHEN jsonb_typeof(m.payload::jsonb -> 'reportData') = 'array'
                                             THEN m.payload::jsonb -> 'reportData' ELSE '[]'::jsonb END) rd
  WHERE m.action = 'NotifyReport' AND m.type = 'CALL' AND (:cp IS NULL OR m.charge_point = :cp)
    AND rd #>> '{component,name}' = 'EVSE'
    AND rd #>> '{variable,name}' = 'Power'
    AND rd #>> '{variableCharacteristics,maxLimit}' IS NOT NULL
  GROUP BY 1, 2
),
peak AS (
  SELECT charge_point, evse, connector, max(value) / 1000.0 AS kw
  FROM meter_values
  WHERE measurand = 'Power.Active.Import' AND normalized_unit = 'W' AND coalesce(phase, '') = ''
    AND (:cp IS NULL OR charge_point = :cp)
  GROUP BY 1, 2, 3
)
SELECT p.charge_point, p.evse, p.connector,
       (SELECT r.kw FROM rated r WHERE r.charge_point = p.charge_point AND r.evse = p.evse) AS rated_kw,
       (SELECT max(k.kw) FROM peak k
         WHERE k.charge_point = p.charge_point
           AND (CASE WHEN p.evse IS NULL THEN k.connector = p.connector ELSE k.evse = p.evse END)) AS peak_kw
FROM ports p
ORDER BY p.charge_point, p.evse, p.connector;
