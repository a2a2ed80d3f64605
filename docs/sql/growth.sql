-- heaptrace: how the traced bytes grew, in 100 buckets of equal numbers of
-- events: each bucket's events, its lowest and highest traced bytes and
-- the bytes at its end. Plotted as a band from low to high, it is the
-- growth curve of `heaptrace analyze`; the highest of the highs is the peak.
--
-- Reads a view or table named `trace` over heaptrace's Parquet export, e.g.
-- in DuckDB:  CREATE VIEW trace AS FROM read_parquet('trace.parquet');
-- The rules and the two-level running sum are those of peak.sql. Change
-- 100.0 below for more or fewer buckets.
WITH object AS (
    SELECT seq, op, size, setup,
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
events AS (
    SELECT max(seq) AS n FROM trace
),
bucketed AS (
    SELECT CAST(floor((r.seq - 1) * 100.0 / e.n) AS BIGINT) AS bucket, r.seq, r.current_bytes
    FROM running r CROSS JOIN events e
)
SELECT bucket,
       min(seq) AS first_seq,
       max(seq) AS last_seq,
       min(current_bytes) AS low_bytes,
       max(current_bytes) AS high_bytes,
       max_by(current_bytes, seq) AS end_bytes
FROM bucketed
GROUP BY bucket
ORDER BY bucket;
