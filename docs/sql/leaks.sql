-- heaptrace: what is still live at the end of the trace, by allocation
-- site and type, largest first: the leaks report of `heaptrace analyze`.
-- Objects parked on a free list (their last event is a cache) are live
-- memory but not leaks: they are left out, as are allocations made in the
-- set-up events.
--
-- Reads a view or table named `trace` over heaptrace's Parquet export, e.g.
-- in DuckDB:  CREATE VIEW trace AS FROM read_parquet('trace.parquet');
-- An object's site is that of the event that made it: its alloc, its
-- realloc_to, or the reuse that took it off a free list.
WITH object AS (
    SELECT seq, op, type, site, size, setup,
           max(CASE WHEN op IN ('alloc', 'realloc_to') THEN seq END)
               OVER (PARTITION BY addr ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS born,
           row_number() OVER (PARTITION BY addr ORDER BY seq DESC) AS from_end
    FROM trace
    WHERE layer = 'object'
      AND op IN ('alloc', 'realloc_to', 'free', 'realloc_from', 'cache', 'reuse')
),
setup_end AS (
    SELECT coalesce(max(seq), 0) AS last_setup FROM trace WHERE setup
)
SELECT o.site, o.type, count(*) AS objects, sum(o.size) AS bytes
FROM object o CROSS JOIN setup_end s
WHERE o.from_end = 1
  AND o.op IN ('alloc', 'realloc_to', 'reuse')
  AND o.born > s.last_setup
GROUP BY o.site, o.type
ORDER BY bytes DESC, objects DESC, o.site, o.type;
