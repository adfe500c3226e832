-- anomaly-unanswered-calls: calls never answered, and answers slower than a threshold.
-- Answers: where does the conversation stall? Unanswered CALLs (the
--   connection closed first; `open` ones were cut by the end of the data and
--   are listed only when :include_open is 1) and answers slower than :max_ms.
-- Parameters: :max_ms (default 10000), :include_open (default 0), :cp
-- Columns: charge_point, connector, from_us, to_us, detail
SELECT charge_point, NULL AS connector, time_us AS from_us, NULL AS to_us,
       'unanswered ' || action || ' ' || unique_id || ' (' || direction || ', message ' || id || ')' AS detail
FROM messages
-- The first two terms exactly as the partial index messages_unanswered has them,
-- so that it finds these rows.
WHERE type = 'CALL' AND answer IN ('none', 'open') AND (answer = 'none' OR coalesce(:include_open, 0) = 1)
  AND (:cp IS NULL OR charge_point = :cp)
UNION ALL
-- Slow answers, for a threshold of a second or more: from the partial index
-- messages_slow_answers (its term exactly as it has it), which holds only them.
SELECT charge_point, NULL, time_us - latency_us, time_us,
       'slow answer to ' || coalesce(action, '?') || ': ' || (latency_us / 1000) || ' ms (message ' || id || ')'
FROM messages
WHERE latency_us >= 1000000 AND latency_us > coalesce(:max_ms, 10000) * 1000 AND coalesce(:max_ms, 10000) >= 1000
  AND (:cp IS NULL OR charge_point = :cp)
UNION ALL
-- Slow answers for a threshold under a second: every answer read (the term on
-- :max_ms alone is decided before any row is read, so this part costs nothing otherwise).
SELECT charge_point, NULL, time_us - latency_us, time_us,
       'slow answer to ' || coalesce(action, '?') || ': ' || (latency_us / 1000) || ' ms (message ' || id || ')'
FROM messages
WHERE latency_us > coalesce(:max_ms, 10000) * 1000 AND coalesce(:max_ms, 10000) < 1000
  AND (:cp IS NULL OR charge_point = :cp)
ORDER BY 1, 3;
