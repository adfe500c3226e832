-- nevi-sessions: charging sessions as 23 CFR 680.112(a)(3)-(6) asks for them.
-- Answers: per port, each session's start and end, the error codes of an
--   unsuccessful one, energy (kWh), peak power (kW) and payment method.
--   A session is unsuccessful when it delivered under :min_kwh, its start was
--   rejected, or it stopped for a charger-side reason (EmergencyStop,
--   PowerLoss, Reboot, HardReset, SoftReset, Other and the 2.x fault
--   reasons); its error codes are the stop reason and any error the
--   connector reported while it ran.
-- Parameters: :from_us, :to_us (the quarter), :min_kwh (default 0.1)
-- Columns: station_id, port_id, session_start, session_end, error_codes,
--   energy_kwh, peak_power_kw, payment_method, transaction_id, flags
SELECT t.charge_point AS station_id,
       coalesce(t.evse || '/', '') || coalesce(t.connector, '?') AS port_id,
       coalesce(t.started_us, t.started_observed_us) AS session_start_us,
       coalesce(t.stopped_us, t.stopped_observed_us) AS session_end_us,
       CASE WHEN coalesce(t.energy_wh, 0) < coalesce(:min_kwh, 0.1) * 1000
              OR t.start_status IS NOT NULL
              OR t.stop_reason IN ('EmergencyStop', 'PowerLoss', 'Reboot', 'HardReset', 'SoftReset', 'Other',
                                   'GroundFault', 'OvercurrentFault', 'PowerQuality', 'ImmediateReset', 'Timeout')
            THEN trim(coalesce(t.stop_reason, '') || ' ' || coalesce(t.start_status, '') || ' ' || coalesce((
                   SELECT group_concat(DISTINCT s.error_code) FROM status_intervals s
                   WHERE s.charge_point = t.charge_point AND s.connector = t.connector
                     AND coalesce(s.error_code, 'NoError') <> 'NoError'
                     AND s.from_us < coalesce(t.stopped_observed_us, t.started_observed_us)
                     AND coalesce(s.to_us, s.from_us) > t.started_observed_us), ''))
       END AS error_codes,
       round(t.energy_wh / 1000.0, 3) AS energy_kwh,
       round(t.max_power_w / 1000.0, 2) AS peak_power_kw,
       CASE
         WHEN t.remote_start_message IS NOT NULL THEN 'remote (app or roaming)'
         WHEN t.id_token_type IS NOT NULL THEN t.id_token_type
         WHEN t.id_token IS NOT NULL THEN 'id tag (RFID or token)'
         ELSE 'unknown'
       END AS payment_method,
       t.transaction_id, t.flags
FROM transactions t
WHERE coalesce(t.started_us, t.started_observed_us) >= :from_us
  AND coalesce(t.started_us, t.started_observed_us) < :to_us
ORDER BY station_id, port_id, session_start_us;
