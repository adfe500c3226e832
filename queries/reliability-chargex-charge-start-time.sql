-- reliability-chargex-charge-start-time: the ChargeX Charge Start Time KPI, median and 90th percentile.
-- Answers: how long does a driver wait from plugging in or authorizing to energy
--   flowing? ChargeX defines charge start time as the time from the customer's
--   charge attempt (T_attempt: plug-in and authorization done) to the start of
--   power delivery (T_power). Here: from the attempt's last plug-in or
--   authorization before energy flowed (ready_us) to the first register rise or
--   Charging report (charge_started_us), observation clock. Percentiles by the
--   nearest-rank method; waits longer than :max_seconds (default none) are left
--   out as implausible.
-- Source: ChargeX Consortium, Quinn, C. W. et al., "Customer-Focused Key Performance
--   Indicators for Electric Vehicle Charging", Idaho National Laboratory, June 2024,
--   https://doi.org/10.2172/2377347; Savargaonkar, M. et al., "Implementation Guide of
--   Customer-Focused Key Performance Indicators for Electric Vehicle Charging", INL,
--   Dec. 2024, https://doi.org/10.2172/2513383 (and INL's OCPP 2.0.1 Interim KPI
--   Calculator, github.com/chargex-consortium/OCPP-2.0.1-Interim-KPI-Calculator).
-- Parameters: :by (port | charge-point | location | vendor | firmware | fleet; default
--   charge-point), :period (day | week (from Monday) | month | all; default all, UTC),
--   :cp, :since, :until (attempts by start),
--   :max_seconds (default NULL: none)
-- Columns: grp, period, charge_starts, charge_start_median_s, charge_start_p90_s, charge_start_max_s
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
  SELECT grp, period, (charge_started_us - ready_us) / 1000000.0 AS s
  FROM g WHERE charge_started_us IS NOT NULL AND ready_us IS NOT NULL AND charge_started_us >= ready_us
    AND (:max_seconds IS NULL OR charge_started_us - ready_us <= :max_seconds * 1000000)
), r AS (
  SELECT d.*, row_number() OVER (PARTITION BY grp, period ORDER BY s) AS rn, count(*) OVER (PARTITION BY grp, period) AS n FROM d
)
SELECT grp, period, max(n) AS charge_starts,
       max(CASE WHEN rn = (n + 1) / 2 THEN s END) AS charge_start_median_s,
       max(CASE WHEN rn = (9 * n + 9) / 10 THEN s END) AS charge_start_p90_s,
       max(s) AS charge_start_max_s
FROM r GROUP BY grp, period ORDER BY grp, period;
