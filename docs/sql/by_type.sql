-- heaptrace: the object layer by type, as `heaptrace analyze --json` gives
-- it in by_type: allocations, frees, bytes allocated (reallocs included),
-- bytes live at the peak and at the end; largest at the peak first.
--
-- Reads a view or table named `trace` over heaptrace's Parquet export, e.g.
-- in DuckDB:  CREATE VIEW trace AS FROM read_parquet('trace.parquet');
-- The rules and the two-level running sum are those of peak.sql.
WITH object AS (
    SELECT seq, op, type, size, setup,
           max(CASE WHEN op IN ('alloc', 'realloc_to') THEN seq END)
               OVER (PARTITION BY addr ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS born
    FROM trace
    WHERE layer = 'object'
),
setup_end AS (
    SELECT coalesce(max(seq), 0) AS last_setup FROM trace WHERE setup
),
delta AS (
    SELECT o.seq, o.op, o.type, o.size,
           CAST(floor((o.seq - 1) / 1048576.0) AS BIGINT) AS chunk,
           NOT o.setup AND (o.op IN ('alloc', 'realloc_to') OR o.born > s.last_setup) AS traced,
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
    SELECT min(r.seq) AS peak_seq
    FROM running r
    JOIN (SELECT max(current_bytes) AS peak_bytes FROM running) m ON r.current_bytes = m.peak_bytes
)
SELECT d.type,
       sum(CASE WHEN d.op = 'alloc' AND d.traced THEN 1 ELSE 0 END) AS allocs,
       sum(CASE WHEN d.op = 'free' AND d.traced THEN 1 ELSE 0 END) AS frees,
       sum(CASE WHEN d.op IN ('alloc', 'realloc_to') AND d.traced THEN d.size ELSE 0 END) AS alloc_bytes,
       sum(CASE WHEN d.seq <= p.peak_seq THEN d.delta ELSE 0 END) AS peak_live_bytes,
       sum(d.delta) AS final_live_bytes
FROM delta d CROSS JOIN peak p
GROUP BY d.type
HAVING sum(CASE WHEN d.traced THEN 1 ELSE 0 END) > 0
ORDER BY peak_live_bytes DESC, final_live_bytes DESC, alloc_bytes DESC, d.type;
