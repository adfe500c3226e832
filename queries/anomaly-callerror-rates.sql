-- anomaly-callerror-rates: how often calls are answered with an error, by action and firmware.
-- Answers: which actions fail, and on which firmware? One finding per
--   (action, vendor, firmware) with at least one CALLERROR, with the rate.
-- Parameters: :min_rate (default 0, as a fraction), :cp
-- Columns: charge_point, connector, from_us, to_us, detail
SELECT NULL AS charge_point, NULL AS connector, min(m.time_us) AS from_us, max(m.time_us) AS to_us,
       m.action || ' on ' || coalesce(cp.vendor, '?') || ' ' || coalesce(cp.firmware, '?') || ': '
         || sum(m.answer = 'error') || ' errors of ' || count(*) || ' calls ('
         || printf('%.1f', 100.0 * sum(m.answer = 'error') / count(*)) || '%)' AS detail
FROM messages m LEFT JOIN charge_points cp ON cp.identity = m.charge_point
WHERE m.type = 'CALL' AND m.answer IS NOT NULL AND (:cp IS NULL OR m.charge_point = :cp)
GROUP BY m.action, cp.vendor, cp.firmware
HAVING sum(m.answer = 'error') > 0 AND 1.0 * sum(m.answer = 'error') / count(*) >= coalesce(:min_rate, 0)
ORDER BY 1.0 * sum(m.answer = 'error') / count(*) DESC, m.action, cp.vendor, cp.firmware;
