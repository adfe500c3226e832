-- reconcile-sessions: charging sessions as billing reconciliation compares them with CDRs.
-- Answers: which sessions could a CDR of the window bill, with their port,
--   id token, times (the charger's clock, as CDRs carry it; observed times
--   where the charger's are missing), energy, how that energy was derived and
--   the history's flags on it? `ocppscope reconcile` matches each CDR with
--   one of these rows and decides in Swift which flags make the energy
--   unreliable (missing_stop, estimated, meter_reset, …).
-- Parameters: :from_us, :to_us (sessions starting in [from, to); NULL for
--   no bound), :cp (one charge point; NULL for all)
-- Columns: charge_point, session_no, ocpp_version, evse, connector,
--   transaction_id, id_token, id_token_type, started_us, stopped_us,
--   stopped_observed_us, energy_wh, energy_source, stop_reason, flags (a JSON
--   array), start_message, stop_message
SELECT charge_point, session_no, ocpp_version, evse, connector, transaction_id, id_token, id_token_type,
       coalesce(started_us, started_observed_us) AS started_us,
       coalesce(stopped_us, stopped_observed_us) AS stopped_us,
       stopped_observed_us,
       energy_wh, energy_source, stop_reason, flags, start_message, stop_message
FROM transactions
WHERE (:from_us IS NULL OR coalesce(started_us, started_observed_us) >= :from_us)
  AND (:to_us IS NULL OR coalesce(started_us, started_observed_us) < :to_us)
  AND (:cp IS NULL OR charge_point = :cp)
ORDER BY coalesce(started_us, started_observed_us), charge_point, session_no;
