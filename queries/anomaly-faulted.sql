-- anomaly-faulted: every Faulted interval, with its error codes.
-- Answers: which connectors faulted, for how long, and with which error and
--   vendor error codes?
-- Parameters: :cp
-- Columns: charge_point, connector, from_us, to_us, detail
SELECT charge_point, connector, from_us, to_us,
       'Faulted' || CASE WHEN coalesce(error_code, '') <> '' THEN ' ' || error_code ELSE '' END
         || CASE WHEN coalesce(vendor_error_code, '') <> '' THEN ' vendor ' || vendor_error_code ELSE '' END
         || CASE WHEN coalesce(info, '') <> '' THEN ' (' || info || ')' ELSE '' END
         || CASE WHEN to_us IS NOT NULL THEN ', ' || ((to_us - from_us) / 60000000) || ' min' ELSE '' END
         || CASE WHEN to_is_data_end = 1 THEN ' until the end of the data' ELSE '' END AS detail
FROM status_intervals
WHERE status = 'Faulted' AND (:cp IS NULL OR charge_point = :cp)
ORDER BY charge_point, from_us;
