-- anomaly-implausible-power: sessions whose energy implies impossible power.
-- Answers: which sessions' energy cannot be right for their duration (unit
--   errors, meter jumps)? Flagged by the history (average over 400 kW), or a
--   peak above :max_kw.
-- Parameters: :max_kw (default 400), :cp
-- Columns: charge_point, connector, from_us, to_us, detail
SELECT charge_point, connector, coalesce(started_us, started_observed_us) AS from_us,
       coalesce(stopped_us, stopped_observed_us) AS to_us,
       'session ' || session_no || ': ' || coalesce(printf('%.0f', energy_wh), '?') || ' Wh'
         || coalesce(', peak ' || printf('%.1f', max_power_w / 1000.0) || ' kW', '') AS detail
FROM transactions
WHERE (flags LIKE '%"implausible_power"%' OR max_power_w > coalesce(:max_kw, 400) * 1000)
  AND (:cp IS NULL OR charge_point = :cp)
ORDER BY charge_point, from_us;
