-- reliability-chargex-charge-start-success: the ChargeX Charge Start Success KPI.
-- Answers: of the charge attempts, how many got energy flowing? ChargeX defines
--   charge start success as the share of a customer's charge attempts in which
--   power delivery to the vehicle begins. Here: an attempt (plug-in,
--   authorization or remote start, see `attempts`) whose session's meter
--   register rose, or whose port reported Charging (2.x chargingState
--   Charging), counts as started. Denominator: attempts whose start is decided
--   (energy flowed, or the attempt ended as success or failed); attempts cut by
--   the data before energy flowed are left out.
-- Source: ChargeX Consortium, Quinn, C. W. et al., "Customer-Focused Key Performance
--   Indicators for Electric Vehicle Charging", Idaho National Laboratory, June 2024,
--   https://doi.org/10.2172/2377347; Savargaonkar, M. et al., "Implementation Guide of
--   Customer-Focused Key Performance Indicators for Electric Vehicle Charging", INL,
--   Dec. 2024, https://doi.org/10.2172/2513383 (and INL's OCPP 2.0.1 Interim KPI
--   Calculator, github.com/chargex-consortium/OCPP-2.0.1-Interim-KPI-Calculator).
-- Parameters: :by (port | charge-point | location | vendor | firmware | fleet; default
--   charge-point), :period (day | week (from Monday) | month | all; default all, UTC),
--   :cp, :since, :until (attempts by start)
-- Columns: grp, period, attempts_decided, charge_starts, charge_start_success_percent
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
d AS (SELECT g.*, charge_started_us IS NOT NULL AS started FROM g WHERE charge_started_us IS NOT NULL OR outcome IN ('success', 'failed'))
SELECT grp, period, count(*) AS attempts_decided, sum(started) AS charge_starts,
       100.0 * sum(started) / nullif(count(*), 0) AS charge_start_success_percent
FROM d GROUP BY grp, period ORDER BY grp, period;
