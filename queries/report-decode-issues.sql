-- report-decode-issues: decode issues by layer in a period.
-- Answers: how complete is the data? Each layer (pcap, link, ip, tcp, http,
--   websocket, deflate, json, ocpp, schema, log) with the number of things
--   that could not be decoded, and the reasons seen most. An issue without a
--   time counts when its source overlaps the period; with a charge point,
--   only the issues of its connections count.
-- Parameters: :cp  one charge point, or NULL for all
--   :from_us, :to_us  the period [from, to) in microseconds, NULL for open ends
-- Columns: layer, issues, reasons (the three most frequent, comma-separated)
SELECT layer, sum(n) AS issues, group_concat(reason, ', ') AS reasons
FROM (
    SELECT d.layer, d.reason, count(*) AS n,
           row_number() OVER (PARTITION BY d.layer ORDER BY count(*) DESC, d.reason) AS rank
    FROM decode_issues d
    JOIN sources s ON s.id = d.source_id
    LEFT JOIN connections c ON c.id = d.connection_id
    WHERE (:cp IS NULL OR c.charge_point = :cp)
      AND CASE WHEN d.time_us IS NOT NULL
               THEN (:from_us IS NULL OR d.time_us >= :from_us) AND (:to_us IS NULL OR d.time_us < :to_us)
               ELSE (:from_us IS NULL OR coalesce(s.last_us, :from_us) >= :from_us)
                AND (:to_us IS NULL OR coalesce(s.first_us, :to_us - 1) < :to_us)
          END
    GROUP BY d.layer, d.reason
)
GROUP BY layer
ORDER BY issues DESC, layer;
