-- reliability-visits: visits, visit success and first-attempt success, per group and period.
-- Answers: did drivers leave charged, and did it work the first time? A visit is
--   successive attempts by the same id token at the same location (or charge
--   point) within :visit_minutes, or anonymous attempts on one port within
--   :anonymous_visit_minutes (as in the query `attempts`). A visit succeeds when
--   one of its attempts does (as in reliability-attempts, with :min_energy_wh);
--   first-attempt success when its first attempt does. Visits still open
--   (no success, some attempt incomplete or unknown) are counted, not rated.
--   Grouped by the visit's first attempt.
-- Parameters: :by (port | charge-point | location | vendor | firmware | fleet; default
--   charge-point), :period (day | week (from Monday) | month | all; default all, UTC),
--   :cp, :since, :until (attempts by start),
--   :visit_minutes (default 30), :anonymous_visit_minutes (default 2), :min_energy_wh (default 100)
-- Columns: grp, period, visits, successful_visits, visit_success_percent,
--   first_attempt_success_percent, attempts_per_visit
WITH a AS (
  SELECT ap.*, ((outcome = 'success' OR cause = 'low-energy') AND coalesce(energy_wh, 0) > coalesce(:min_energy_wh, 100)) AS ok, outcome IN ('success', 'failed') AS decided,
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
  SELECT b.*, sum(new_visit) OVER (PARTITION BY visit_key ORDER BY started_us, id) AS visit_seq,
         row_number() OVER (PARTITION BY visit_key ORDER BY started_us, id) AS rn
  FROM b
), v AS (
  SELECT visit_key, visit_seq, count(*) AS n, max(ok) AS any_ok, min(decided) AS all_decided,
         (SELECT c2.ok FROM c c2 WHERE c2.visit_key = c.visit_key AND c2.visit_seq = c.visit_seq ORDER BY c2.rn LIMIT 1) AS first_ok,
         (SELECT c2.decided FROM c c2 WHERE c2.visit_key = c.visit_key AND c2.visit_seq = c.visit_seq ORDER BY c2.rn LIMIT 1) AS first_decided,
         min(rn) AS first_rn
  FROM c GROUP BY visit_key, visit_seq
), g AS (
  SELECT v.*, f.charge_point, f.started_us,
         CASE coalesce(:by, 'charge-point')
              WHEN 'port' THEN f.charge_point || ' ' || f.port
              WHEN 'charge-point' THEN f.charge_point
              WHEN 'location' THEN coalesce(f.location, '(no location)')
              WHEN 'vendor' THEN coalesce(f.vendor, '(unknown vendor)')
              WHEN 'firmware' THEN coalesce(f.vendor, '?') || ' ' || coalesce(f.firmware, '?')
              ELSE 'fleet' END AS grp,
         CASE coalesce(:period, 'all')
              WHEN 'day' THEN date(f.started_us / 1000000, 'unixepoch')
              WHEN 'week' THEN date(f.started_us / 1000000, 'unixepoch', 'weekday 0', '-6 days')
              WHEN 'month' THEN strftime('%Y-%m', f.started_us / 1000000, 'unixepoch')
              ELSE 'all' END AS period
  FROM v JOIN c f ON f.visit_key = v.visit_key AND f.rn = v.first_rn
  WHERE (:cp IS NULL OR f.charge_point = :cp)
    AND (:since IS NULL OR f.started_us >= :since) AND (:until IS NULL OR f.started_us < :until)
)
SELECT grp, period, count(*) AS visits, sum(any_ok) AS successful_visits,
       100.0 * sum(any_ok) / nullif(sum(any_ok OR all_decided), 0) AS visit_success_percent,
       100.0 * sum(first_ok) / nullif(sum(first_ok OR first_decided), 0) AS first_attempt_success_percent,
       1.0 * sum(n) / count(*) AS attempts_per_visit
FROM g
GROUP BY grp, period
ORDER BY grp, period;
