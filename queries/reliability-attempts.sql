-- reliability-attempts: charge attempts, successes and failures by cause, per group and period.
-- Answers: how often does a driver who tries to charge succeed, and why do the
--   others fail? A success is a session that delivered more than
--   :min_energy_wh and ended by a driver or EV reason (Local, Remote,
--   EVDisconnected, StoppedByEV, …) with no fault in it. Incomplete attempts
--   (cut by the start or end of the data) and unknown ones (stop never seen)
--   are counted but never in a rate: attempt_success_percent =
--   successes / (successes + failures) × 100.
-- Parameters: :by (port | charge-point | location | vendor | firmware | fleet; default
--   charge-point), :period (day | week (from Monday) | month | all; default all, UTC),
--   :cp, :since, :until (attempts by start),
--   :min_energy_wh (default 100: 0.1 kWh; raising it turns successes into
--   low-energy failures, lowering it turns low-energy failures into successes)
-- Columns: grp, period, attempts, successes, failures, incomplete, unknown,
--   attempt_success_percent, failures_by_cause (JSON object cause → count)
WITH g AS (
  SELECT attempt_ports.*,
         CASE coalesce(:by, 'charge-point')
              WHEN 'port' THEN charge_point || ' ' || port
              WHEN 'charge-point' THEN charge_point
              WHEN 'location' THEN coalesce(location, '(no location)')
              WHEN 'vendor' THEN coalesce(vendor, '(unknown vendor)')
              WHEN 'firmware' THEN coalesce(vendor, '?') || ' ' || coalesce(firmware, '?')
              ELSE 'fleet' END AS grp,
         CASE coalesce(:period, 'all')
              WHEN 'day' THEN date(started_us / 1000000, 'unixepoch')
              WHEN 'week' THEN date(started_us / 1000000, 'unixepoch', 'weekday 0', '-6 days')
              WHEN 'month' THEN strftime('%Y-%m', started_us / 1000000, 'unixepoch')
              ELSE 'all' END AS period
  FROM attempt_ports
  WHERE (:cp IS NULL OR charge_point = :cp)
    AND (:since IS NULL OR started_us >= :since) AND (:until IS NULL OR started_us < :until)
),
j AS (
  SELECT g.*, ((outcome = 'success' OR cause = 'low-energy') AND coalesce(energy_wh, 0) > coalesce(:min_energy_wh, 100)) AS ok,
         CASE WHEN ((outcome = 'success' OR cause = 'low-energy') AND coalesce(energy_wh, 0) > coalesce(:min_energy_wh, 100)) THEN NULL WHEN outcome = 'success' THEN 'low-energy' ELSE cause END AS eff_cause
  FROM g
), causes AS (
  SELECT grp, period, json_group_object(eff_cause, n) AS failures_by_cause
  FROM (SELECT grp, period, eff_cause, count(*) AS n FROM j
        WHERE outcome IN ('success', 'failed') AND NOT ok GROUP BY grp, period, eff_cause ORDER BY n DESC, eff_cause) counted
  GROUP BY grp, period
)
SELECT j.grp, j.period, count(*) AS attempts, sum(ok) AS successes,
       sum(outcome IN ('success', 'failed') AND NOT ok) AS failures,
       sum(outcome = 'incomplete') AS incomplete, sum(outcome = 'unknown') AS unknown,
       100.0 * sum(ok) / nullif(sum(outcome IN ('success', 'failed')), 0) AS attempt_success_percent,
       coalesce(max(c.failures_by_cause), '{}') AS failures_by_cause
FROM j LEFT JOIN causes c ON c.grp = j.grp AND c.period = j.period
GROUP BY j.grp, j.period
ORDER BY j.grp, j.period;
