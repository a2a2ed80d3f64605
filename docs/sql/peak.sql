-- heaptrace: tracemalloc's peak and final traced bytes, from a running sum.
--
-- Reads a view or table named `trace` over heaptrace's Parquet export (one
-- file or a partitioned dataset), e.g. in DuckDB:
--     CREATE VIEW trace AS FROM read_parquet('trace.parquet');
-- Returns one row: peak_bytes, peak_seq (the first event at the peak),
-- final_bytes, the same as `heaptrace analyze --json` gives.
--
-- The rules (format/SCHEMA.md): over the rows of layer `object`, in seq
-- order, alloc and realloc_to add size, free and realloc_from subtract it.
-- Set-up events (setup = true) count nothing, and neither does a later
-- free of an allocation they made: `born` is the event that made the
-- allocation a row ends (the last alloc or realloc_to at its address).
--
-- The running sum is computed in two levels so that it scales out: each
-- chunk of 2^20 events is summed on its own (PARTITION BY chunk), then the
-- chunks' totals are added up in order, which takes one row per chunk.
WITH object AS (
    SELECT seq, op, type, site, size, setup,
           max(CASE WHEN op IN ('alloc', 'realloc_to') THEN seq END)
               OVER (PARTITION BY addr ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS born
    FROM trace
    WHERE layer = 'object'
),
setup_end AS (
    SELECT coalesce(max(seq), 0) AS last_setup FROM trace WHERE setup
),
delta AS (
    SELECT o.seq,
           CAST(floor((o.seq - 1) / 1048576.0) AS BIGINT) AS chunk,
           CASE
               WHEN o.setup THEN 0
               WHEN o.op IN ('alloc', 'realloc_to') THEN o.size
               WHEN o.op IN ('free', 'realloc_from') AND o.born > s.last_setup THEN -o.size
               ELSE 0
           END AS delta
    FROM object o CROSS JOIN setup_end s
),
local_sum AS (
    SELECT chunk, seq,
           sum(delta) OVER (PARTITION BY chunk ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS local_bytes
    FROM delta
),
chunk_base AS (
    SELECT chunk,
           coalesce(sum(net) OVER (ORDER BY chunk ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS base
    FROM (SELECT chunk, sum(delta) AS net FROM delta GROUP BY chunk) t
),
running AS (
    SELECT l.seq, b.base + l.local_bytes AS current_bytes
    FROM local_sum l JOIN chunk_base b ON l.chunk = b.chunk
),
peak AS (
    SELECT max(current_bytes) AS peak_bytes FROM running
),
final AS (
    SELECT coalesce(sum(delta), 0) AS final_bytes FROM delta
)
SELECT p.peak_bytes, min(r.seq) AS peak_seq, f.final_bytes
FROM peak p
JOIN running r ON r.current_bytes = p.peak_bytes
CROSS JOIN final f
GROUP BY p.peak_bytes, f.final_bytes;
