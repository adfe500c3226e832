-- regime-ocpi-status: each connector's reported status as an OCPI 2.2.1 EVSE status.
-- Answers: what would an OCPI feed (which EU AFIR access points and the UK
--   Public Charge Point Regulations 2023 read) have said of each connector,
--   going by its own OCPP reports? OCPP status to OCPI EVSE status
--   (OCPI 2.2.1 section 8.4.22; UK PCPR reg. 7(3) and 7(4) name these):
--     Available -> AVAILABLE;
--     Preparing, Charging, SuspendedEV, SuspendedEVSE,
--       Occupied (2.x) -> CHARGING (in use by a session);
--     Finishing -> BLOCKED (the session is over but the vehicle still holds
--       the EVSE: occupied for AFIR, ineligible for the UK measure);
--     Reserved -> RESERVED;
--     Unavailable -> INOPERATIVE (taken out of service on purpose);
--     Faulted -> OUTOFORDER;
--     anything else -> UNKNOWN.
--   For 1.6, connector 0 stands for the whole charge point (for 2.x, EVSE 0):
--   the regimes let its INOPERATIVE or OUTOFORDER override the connectors'. Offline time
--   (from connectivity) is laid over these by each regime's own rule.
-- Parameters: :cp  one charge point, or NULL for all
-- Columns: charge_point, evse, connector, from_us, to_us, status, error_code,
--   ocpi_status, message_id
SELECT charge_point, evse, connector, from_us, coalesce(to_us, from_us) AS to_us, status, error_code,
       CASE
         WHEN status = 'Available' THEN 'AVAILABLE'
         WHEN status IN ('Preparing', 'Charging', 'SuspendedEV', 'SuspendedEVSE', 'Occupied') THEN 'CHARGING'
         WHEN status = 'Finishing' THEN 'BLOCKED'
         WHEN status = 'Reserved' THEN 'RESERVED'
         WHEN status = 'Unavailable' THEN 'INOPERATIVE'
         WHEN status = 'Faulted' THEN 'OUTOFORDER'
         ELSE 'UNKNOWN'
       END AS ocpi_status,
       message_id
FROM status_intervals
WHERE (:cp IS NULL OR charge_point = :cp)
ORDER BY charge_point, evse, connector, from_us;
