-- reliability-chargex-charge-end-success: the ChargeX Charge End Success KPI.
-- Answers: once energy flowed, did the session end as the driver or the EV meant
--   it? ChargeX defines charge end success as the share of sessions with power
--   delivery that end normally (by the customer or the vehicle), not by a
--   charger fault or interruption. Here: among attempts where energy flowed and
--   whose end is known (success or failed), those not failed by `fault`,
--   `stopped-by-charger` or `offline`. Energy delivered does not matter here.
-- Source: ChargeX Consortium, Quinn, C. W. et al., "Customer-Focused Key Performance
--   Indicators for Electric Vehicle Charging", Idaho National Laboratory, June 2024,
--   https://doi.org/10.2172/2377347; Savargaonkar, M. et al., "Implementation Guide of
--   Customer-Focused Key Performance Indicators for Electric Vehicle Charging", INL,
--   Dec. 2024, https://doi.org/10.2172/2513383 (and INL's OCPP 2.0.1 Interim KPI
--   Calculator, github.com/chargex-consortium/OCPP-2.0.1-Interim-KPI-Calculator).
-- Parameters: :by (port | charge-point | location | vendor | firmware | fleet; default
--   charge-point), :period (day | week (from Monday) | month | all; default all, UTC),
--   :cp, :since, :until (attempts by start)
-- Columns: grp, period, charges_ended, normal_ends, charge_end_success_percent
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
  SELECT g.*, coalesce(cause, '') NOT IN ('fault', 'stopped-by-charger', 'offline') AS normal
  FROM g WHERE charge_started_us IS NOT NULL AND outcome IN ('success', 'failed')
)
SELECT grp, period, count(*) AS charges_ended, sum(normal) AS normal_ends,
       100.0 * sum(normal) / nullif(count(*), 0) AS charge_end_success_percent
FROM d GROUP BY grp, period ORDER BY grp, period;
