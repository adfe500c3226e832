-- report-completeness: how much of the connections' traffic was decoded.
-- Answers: of the WebSocket connections open in the period, how many were
--   seen from their HTTP handshake, how many bytes were seen and decoded in
--   each direction, and how many TCP holes (bytes never captured) they have?
--   Bytes are whole connections, not clipped to the period.
-- Parameters: :cp  one charge point, or NULL for all
--   :from_us, :to_us  the period [from, to) in microseconds, NULL for open ends
-- Columns: connections, handshakes_seen, bytes_seen, bytes_decoded, holes, hole_bytes
SELECT count(*) AS connections, coalesce(sum(handshake_seen), 0) AS handshakes_seen,
       coalesce(sum(bytes_seen_cp + bytes_seen_csms), 0) AS bytes_seen,
       coalesce(sum(bytes_decoded_cp + bytes_decoded_csms), 0) AS bytes_decoded,
       coalesce(sum(holes), 0) AS holes, coalesce(sum(hole_bytes), 0) AS hole_bytes
FROM connections
WHERE (:cp IS NULL OR charge_point = :cp)
  AND (:to_us IS NULL OR coalesce(opened_us, :to_us - 1) < :to_us)
  AND (:from_us IS NULL OR coalesce(closed_us, :from_us) >= :from_us);
