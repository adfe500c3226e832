-- reliability-chargex-session-success: the ChargeX Session Success KPI.
-- Answers: of the charge attempts, how many both started (energy flowed) and
--   ended normally? ChargeX defines session success as the share of charge
--   attempts that result in a successful charge start and a successful charge
--   end. Here: among decided attempts (success or failed), those where energy
--   flowed, more than :min_energy_wh was delivered, and the end was not a fault,
--   a charger-side stop or an outage. (The attempt success rate of
--   reliability-attempts also requires a driver or EV stop reason.)
-- Source: ChargeX Consortium, Quinn, C. W. et al., "Customer-Focused Key Performance
--   Indicators for Electric Vehicle Charging", Idaho National Laboratory, June 2024,
--   https://doi.org/10.2172/2377347; Savargaonkar, M. et al., "Implementation Guide of
--   Customer-Focused Key Performance Indicators for Electric Vehicle Charging", INL,
--   Dec. 2024, https://doi.org/10.2172/2513383 (and INL's OCPP 2.0.1 Interim KPI
--   Calculator, github.com/chargex-consortium/OCPP-2.0.1-Interim-KPI-Calculator).
-- Parameters: :by (port | charge-point | location | vendor | firmware | fleet; default
--   charge-point), :period (day | week (from Monday) | month | all; default all, UTC),
--   :cp, :since, :until (attempts by start),
--   :min_energy_wh (default 100; ChargeX counts any power delivery: set 0)
-- Columns: grp, period, attempts_decided, successful_sessions, session_success_percent
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
d AS (
  SELECT g.*, charge_started_us IS NOT NULL AND coalesce(energy_wh, 0) > coalesce(:min_energy_wh, 100)
              AND coalesce(cause, '') NOT IN ('fault', 'stopped-by-charger', 'offline', 'start-rejected',
                                              'authorization-rejected', 'authorization-unanswered', 'no-session') AS good
  FROM g WHERE outcome IN ('success', 'failed')
)
SELECT grp, period, count(*) AS attempts_decided, sum(good) AS successful_sessions,
       100.0 * sum(good) / nullif(count(*), 0) AS session_success_percent
FROM d GROUP BY grp, period ORDER BY grp, period;
