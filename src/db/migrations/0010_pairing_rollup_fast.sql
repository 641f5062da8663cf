-- The coverage rollup of 0008, cheaper for bulk writes.
-- 1. A recount joins its residents by id instead of testing `= ANY(ids)` against every row of
--    pairing_resident_state, which made each statement of a large import scan the state table twice.
-- 2. A recount is driven by its ids, looked up by key. Inside an import the statistics still say
--    the ledger is nearly empty (nothing is analysed before the commit), and with `= ANY(ids)` (or
--    a DISTINCT the planner guesses at 200 rows) it chose to scan and hash all of resident and
--    pairing_resident_state for every chunk of 2,500 rows — quadratic over a large load.
-- 3. No JIT in the rollup's functions: a big transition table pushes the estimated cost of the
--    recount over jit_above_cost, and compiling cost more than running — on every statement.
-- 4. A transaction that writes a whole county at once (a ledger import's initial load) may defer
--    the rollup: with `SET LOCAL lianxin.defer_coverage = 'on'` the triggers do nothing, and the
--    writer calls pairing_rebuild_county(county) before it commits (src/pairing/repo.ts
--    rebuildCoverage). Only that transaction sees its unrecounted rows; the others see the
--    rollup as of before it, as they would any uncommitted change.

-- Whether this transaction recounts at the end (pairing_rebuild_county) instead of statement by statement.
CREATE FUNCTION pairing_deferred() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('lianxin.defer_coverage', true), '') = 'on'
$$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION pairing_recount(ids bigint[]) RETURNS void LANGUAGE plpgsql SET jit = off AS $$
DECLARE
  born_by date;
BEGIN
  IF ids IS NULL OR cardinality(ids) = 0 THEN RETURN; END IF;
  SELECT elderly_born_by INTO born_by FROM pairing_coverage_state WHERE id = 1;
  IF born_by IS NULL THEN RETURN; END IF; -- not built yet: pairing_rebuild counts everyone
  ids := array(SELECT DISTINCT u FROM unnest(ids) u WHERE u IS NOT NULL);
  -- unnest(ids), not a DISTINCT of it: the planner then knows how many ids there are (custom
  -- plan) or takes them for a few (generic plan), and looks each one up by its key.
  WITH who AS (SELECT unnest(ids) AS id),
  fresh AS (
    SELECT r.id AS resident_id, r.grid_id, r.colour IN ('red', 'yellow') AS red_yellow, r.categories,
      coalesce(r.birth_date <= born_by, false) AS elderly,
      coalesce((SELECT bit_or(CASE x.role WHEN 'help' THEN 1 WHEN 'health' THEN 2 ELSE 4 END)
        FROM responsibility x JOIN member m ON m.id = x.member_id AND m.active
        WHERE x.target_type = 'resident' AND x.target_id = r.id AND x.to_date IS NULL
          AND x.role IN ('help', 'health', 'livelihood')), 0)::smallint AS contacts
    FROM who JOIN resident r ON r.id = who.id
    WHERE r.status = 'active'
      AND (r.colour IN ('red', 'yellow') OR r.categories <> '{}' OR r.birth_date <= born_by)),
  old AS (SELECT s.* FROM who JOIN pairing_resident_state s ON s.resident_id = who.id),
  gone AS (DELETE FROM pairing_resident_state s USING old o WHERE s.resident_id = o.resident_id
    AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.resident_id = s.resident_id)),
  kept AS (INSERT INTO pairing_resident_state (resident_id, grid_id, red_yellow, categories, elderly, contacts)
    SELECT * FROM fresh
    ON CONFLICT (resident_id) DO UPDATE SET grid_id = excluded.grid_id, red_yellow = excluded.red_yellow,
      categories = excluded.categories, elderly = excluded.elderly, contacts = excluded.contacts
    WHERE (pairing_resident_state.grid_id, pairing_resident_state.red_yellow, pairing_resident_state.categories,
        pairing_resident_state.elderly, pairing_resident_state.contacts)
      IS DISTINCT FROM (excluded.grid_id, excluded.red_yellow, excluded.categories, excluded.elderly, excluded.contacts)),
  delta AS (
    SELECT a.region_id, d.red_yellow, d.categories, d.elderly, d.contacts, sum(d.n)::int AS n FROM (
      SELECT grid_id, red_yellow, categories, elderly, contacts, sum(n) AS n FROM (
        SELECT grid_id, red_yellow, categories, elderly, contacts, -1 AS n FROM old
        UNION ALL SELECT grid_id, red_yellow, categories, elderly, contacts, 1 FROM fresh) e
      GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0) d
    JOIN region g ON g.id = d.grid_id
    CROSS JOIN LATERAL unnest(string_to_array(trim(BOTH '/' FROM g.path), '/')::bigint[]) a(region_id)
    GROUP BY 1, 2, 3, 4, 5 HAVING sum(d.n) <> 0)
  INSERT INTO pairing_coverage_cell AS c (region_id, red_yellow, categories, elderly, contacts, residents)
  SELECT * FROM delta ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (region_id, red_yellow, categories, elderly, contacts)
  DO UPDATE SET residents = c.residents + excluded.residents;
END $$;
--> statement-breakpoint

-- Recounts a county at once, set-based: everyone on its grids and everyone counted on them (who
-- may have moved elsewhere meanwhile), their differences carried to every region above. For a
-- transaction that deferred the rollup (pairing_deferred), before it commits.
CREATE FUNCTION pairing_rebuild_county(county text) RETURNS void LANGUAGE plpgsql SET jit = off AS $$
DECLARE
  born_by date;
BEGIN
  IF county IS NULL OR NOT pairing_lock(ARRAY[county]) THEN RETURN; END IF;
  SELECT elderly_born_by INTO born_by FROM pairing_coverage_state WHERE id = 1;
  WITH grids AS MATERIALIZED (SELECT id FROM region WHERE county_code = county AND level = 'grid'),
  here AS MATERIALIZED (SELECT r.id FROM resident r WHERE r.grid_id IN (SELECT id FROM grids)),
  old AS MATERIALIZED (
    SELECT s.* FROM pairing_resident_state s WHERE s.grid_id IN (SELECT id FROM grids)
    UNION
    SELECT s.* FROM here JOIN pairing_resident_state s ON s.resident_id = here.id),
  who AS (SELECT id FROM here UNION SELECT resident_id FROM old),
  fresh AS MATERIALIZED (
    SELECT r.id AS resident_id, r.grid_id, r.colour IN ('red', 'yellow') AS red_yellow, r.categories,
      coalesce(r.birth_date <= born_by, false) AS elderly, coalesce(c.contacts, 0)::smallint AS contacts
    FROM who JOIN resident r ON r.id = who.id
    LEFT JOIN LATERAL (SELECT bit_or(CASE x.role WHEN 'help' THEN 1 WHEN 'health' THEN 2 ELSE 4 END) AS contacts
      FROM responsibility x JOIN member m ON m.id = x.member_id AND m.active
      WHERE x.target_type = 'resident' AND x.target_id = r.id AND x.to_date IS NULL
        AND x.role IN ('help', 'health', 'livelihood')) c ON true
    WHERE r.status = 'active'
      AND (r.colour IN ('red', 'yellow') OR r.categories <> '{}' OR r.birth_date <= born_by)),
  gone AS (DELETE FROM pairing_resident_state s USING old o WHERE s.resident_id = o.resident_id
    AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.resident_id = s.resident_id)),
  kept AS (INSERT INTO pairing_resident_state (resident_id, grid_id, red_yellow, categories, elderly, contacts)
    SELECT * FROM fresh
    ON CONFLICT (resident_id) DO UPDATE SET grid_id = excluded.grid_id, red_yellow = excluded.red_yellow,
      categories = excluded.categories, elderly = excluded.elderly, contacts = excluded.contacts
    WHERE (pairing_resident_state.grid_id, pairing_resident_state.red_yellow, pairing_resident_state.categories,
        pairing_resident_state.elderly, pairing_resident_state.contacts)
      IS DISTINCT FROM (excluded.grid_id, excluded.red_yellow, excluded.categories, excluded.elderly, excluded.contacts)),
  delta AS (
    SELECT a.region_id, d.red_yellow, d.categories, d.elderly, d.contacts, sum(d.n)::int AS n FROM (
      SELECT grid_id, red_yellow, categories, elderly, contacts, sum(n) AS n FROM (
        SELECT grid_id, red_yellow, categories, elderly, contacts, -1 AS n FROM old
        UNION ALL SELECT grid_id, red_yellow, categories, elderly, contacts, 1 FROM fresh) e
      GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0) d
    JOIN region g ON g.id = d.grid_id
    CROSS JOIN LATERAL unnest(string_to_array(trim(BOTH '/' FROM g.path), '/')::bigint[]) a(region_id)
    GROUP BY 1, 2, 3, 4, 5 HAVING sum(d.n) <> 0)
  INSERT INTO pairing_coverage_cell AS c (region_id, red_yellow, categories, elderly, contacts, residents)
  SELECT * FROM delta ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (region_id, red_yellow, categories, elderly, contacts)
  DO UPDATE SET residents = c.residents + excluded.residents;
END $$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION pairing_resident_inserted() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
  ids bigint[];
  counties text[];
BEGIN
  IF pairing_deferred() THEN RETURN NULL; END IF;
  -- Only those who may be key (the young and green without a category never are); one pass.
  SELECT array_agg(n.id), array_agg(DISTINCT n.county_code) INTO ids, counties
  FROM new_rows n, pairing_coverage_state s
  WHERE s.id = 1 AND n.status = 'active'
    AND (n.colour IN ('red', 'yellow') OR n.categories <> '{}' OR n.birth_date <= s.elderly_born_by);
  IF ids IS NOT NULL AND pairing_lock(counties) THEN
    PERFORM pairing_recount(ids);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION pairing_resident_updated() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
  ids bigint[];
  counties text[];
BEGIN
  IF pairing_deferred() THEN RETURN NULL; END IF;
  SELECT array_agg(n.id), array_agg(DISTINCT c) INTO ids, counties
  FROM new_rows n JOIN old_rows o ON o.id = n.id
  CROSS JOIN LATERAL (VALUES (n.county_code), (o.county_code)) k(c)
  WHERE (n.grid_id, n.status, n.colour, n.categories, n.birth_date)
    IS DISTINCT FROM (o.grid_id, o.status, o.colour, o.categories, o.birth_date);
  IF ids IS NOT NULL AND pairing_lock(counties) THEN
    PERFORM pairing_recount(ids);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION pairing_resident_deleted() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
  ids bigint[];
  counties text[];
BEGIN
  IF pairing_deferred() THEN RETURN NULL; END IF;
  SELECT array_agg(o.id), array_agg(DISTINCT o.county_code) INTO ids, counties FROM old_rows o;
  IF ids IS NOT NULL AND pairing_lock(counties) THEN
    PERFORM pairing_recount(ids);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION pairing_responsibility_inserted() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
  ids bigint[];
BEGIN
  IF pairing_deferred() THEN RETURN NULL; END IF;
  SELECT array_agg(DISTINCT n.target_id) INTO ids FROM new_rows n
  WHERE n.target_type = 'resident' AND n.role IN ('help', 'health', 'livelihood');
  IF ids IS NOT NULL AND pairing_lock(array(SELECT DISTINCT county_code FROM new_rows)) THEN
    PERFORM pairing_recount(ids);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION pairing_responsibility_updated() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
  ids bigint[];
BEGIN
  IF pairing_deferred() THEN RETURN NULL; END IF;
  SELECT array_agg(DISTINCT t.id) INTO ids FROM new_rows n JOIN old_rows o ON o.id = n.id
  CROSS JOIN LATERAL (VALUES (n.target_type, n.role, n.target_id), (o.target_type, o.role, o.target_id)) t(type, role, id)
  WHERE (n.member_id, n.target_type, n.target_id, n.role, n.to_date)
      IS DISTINCT FROM (o.member_id, o.target_type, o.target_id, o.role, o.to_date)
    AND t.type = 'resident' AND t.role IN ('help', 'health', 'livelihood');
  IF ids IS NOT NULL AND pairing_lock(array(SELECT county_code FROM new_rows UNION SELECT county_code FROM old_rows)) THEN
    PERFORM pairing_recount(ids);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION pairing_responsibility_deleted() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
  ids bigint[];
BEGIN
  IF pairing_deferred() THEN RETURN NULL; END IF;
  SELECT array_agg(DISTINCT o.target_id) INTO ids FROM old_rows o
  WHERE o.target_type = 'resident' AND o.role IN ('help', 'health', 'livelihood');
  IF ids IS NOT NULL AND pairing_lock(array(SELECT DISTINCT county_code FROM old_rows)) THEN
    PERFORM pairing_recount(ids);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION pairing_member_updated() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
  ids bigint[];
BEGIN
  IF pairing_deferred() THEN RETURN NULL; END IF;
  SELECT array_agg(DISTINCT x.target_id) INTO ids
  FROM new_rows n JOIN old_rows o ON o.id = n.id AND o.active IS DISTINCT FROM n.active
  JOIN responsibility x ON x.member_id = n.id AND x.to_date IS NULL
  WHERE x.target_type = 'resident' AND x.role IN ('help', 'health', 'livelihood');
  IF ids IS NOT NULL AND pairing_lock(array(SELECT DISTINCT county_code FROM new_rows)) THEN
    PERFORM pairing_recount(ids);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint

-- Grid moves are not deferred: pairing_rebuild_county recounts residents, not the cells of the
-- regions a grid left (and a county's import does not move grids).
ALTER FUNCTION pairing_region_moved() SET jit = off;
