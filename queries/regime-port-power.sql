-- regime-port-power: the power of each charging port, from the charger's own data.
-- Answers: is a port a rapid charge point (UK PCPR 2023 reg. 2: "a public
--   charge point with a power of 50 kilowatts or above")? Two figures from
--   the data: rated_kw, the maxLimit of the EVSE component's Power variable
--   in a 2.x NotifyReport (the charger's own device model, in W); and
--   peak_kw, the highest Power.Active.Import the port ever reported in its
--   meter values (a lower bound of what it can deliver). 1.6 has no rated
--   power in the protocol: the port map or --power-map supplies it.
-- Parameters: :cp  one charge point, or NULL for all
-- Columns: charge_point, evse, connector, rated_kw, peak_kw
WITH ports AS (
  SELECT DISTINCT charge_point, evse, connector
  FROM status_intervals
  WHERE (evse > 0 OR (evse IS NULL AND connector > 0)) AND (:cp IS NULL OR charge_point = :cp)
),
rated AS (
  SELECT m.charge_point, CAST(json_extract(rd.value, '$.component.evse.id') AS INTEGER) AS evse,
         max(CAST(json_extract(rd.value, '$.variableCharacteristics.maxLimit') AS REAL)) / 1000.0 AS kw
  FROM messages m, json_each(m.payload, '$.reportData') rd
  WHERE m.action = 'NotifyReport' AND m.type = 'CALL' AND (:cp IS NULL OR m.charge_point = :cp)
    AND json_extract(rd.value, '$.component.name') = 'EVSE'
    AND json_extract(rd.value, '$.variable.name') = 'Power'
    AND json_extract(rd.value, '$.variableCharacteristics.maxLimit') IS NOT NULL
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
