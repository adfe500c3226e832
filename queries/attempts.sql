-- attempts: one row per charge attempt, with its port, location, outcome, cause and visit.
-- Answers: who tried to charge where, what came of each try, and why did the
--   failed ones fail? An attempt begins when a driver starts to use a port
--   (plug-in, authorization, remote start, or a session with none of these)
--   and ends when the port is free again or it times out; the History stage
--   derives them (table attempts, see README "Charge attempts and
--   reliability"). The port comes from the port map (`ocppscope ports
--   --load`), else it is the 1.6 connector or the 2.x EVSE.
--   Visits: successive attempts by the same id token at the same location
--   (the charge point when it has none) with at most :visit_minutes between
--   one's end and the next's start, or anonymous attempts on the same port
--   with at most :anonymous_visit_minutes between them, form one visit,
--   named after its first attempt (`CP0001#3`).
-- Parameters: :cp, :since, :until (by start, observation clock),
--   :visit_minutes (default 30), :anonymous_visit_minutes (default 2)
-- Columns: charge_point, port, evse, connector, location, attempt_no, started_us,
--   ended_us, began, ended, id_token, transaction_id, session_no, energy_wh,
--   ready_us, charge_started_us, charge_start_s, stop_reason, outcome, cause,
--   cause_detail, flags, visit, visit_attempt (1 = the visit's first), start_message, end_message
WITH a AS (
  SELECT ap.*,
         CASE WHEN id_token IS NOT NULL
              THEN 'token/' || coalesce(location, charge_point) || '/' || id_token
              ELSE 'port/' || charge_point || '/' || port END AS visit_key,
         CASE WHEN id_token IS NOT NULL THEN coalesce(:visit_minutes, 30)
              ELSE coalesce(:anonymous_visit_minutes, 2) END * 60000000 AS visit_gap_us
  FROM attempt_ports ap
), b AS (
  SELECT a.*,
         CASE WHEN started_us - max(coalesce(ended_us, started_us)) OVER (
                     PARTITION BY visit_key ORDER BY started_us, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                   <= visit_gap_us
              THEN 0 ELSE 1 END AS new_visit
  FROM a
), c AS (
  SELECT b.*, sum(new_visit) OVER (PARTITION BY visit_key ORDER BY started_us, id) AS visit_seq FROM b
), v AS (
  SELECT c.*,
         first_value(charge_point || '#' || attempt_no) OVER (PARTITION BY visit_key, visit_seq ORDER BY started_us, id) AS visit,
         row_number() OVER (PARTITION BY visit_key, visit_seq ORDER BY started_us, id) AS visit_attempt
  FROM c
)
SELECT charge_point, port, evse, connector, location, attempt_no, started_us, ended_us, began, ended, id_token,
       transaction_id, session_no, energy_wh, ready_us, charge_started_us,
       (charge_started_us - ready_us) / 1000000.0 AS charge_start_s, stop_reason, outcome, cause, cause_detail, flags,
       visit, visit_attempt, start_message, end_message
FROM v
WHERE (:cp IS NULL OR charge_point = :cp)
  AND (:since IS NULL OR started_us >= :since)
  AND (:until IS NULL OR started_us < :until)
ORDER BY started_us, charge_point, attempt_no;
