-- The pairing coverage rollup (pairing_resident_state, pairing_coverage_cell: src/pairing/schema.ts),
-- kept in the transaction of every change by statement triggers on resident, responsibility, member
-- and region. A change recounts only its residents: pairing_recount(ids) computes what each of them
-- is now, replaces what was counted for them, and adds the difference to the cells of their grid
-- and of every region above it (a grid that moves carries its counts from its old ancestors to its
-- new ones: pairing_region_moved). Writers in a
-- county serialise on an advisory lock (shared lock 7340/0 plus an exclusive one per county) so
-- two transactions never recount the same resident from stale snapshots; a shift of the day or a
-- rebuild takes 7340/0 exclusively.

-- What each of these residents is now, replacing what was counted for them.
CREATE FUNCTION pairing_recount(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  born_by date;
BEGIN
  IF ids IS NULL OR cardinality(ids) = 0 THEN RETURN; END IF;
  SELECT elderly_born_by INTO born_by FROM pairing_coverage_state WHERE id = 1;
  IF born_by IS NULL THEN RETURN; END IF; -- not built yet: pairing_rebuild counts everyone
  WITH fresh AS (
    SELECT r.id AS resident_id, r.grid_id, r.colour IN ('red', 'yellow') AS red_yellow, r.categories,
      coalesce(r.birth_date <= born_by, false) AS elderly,
      coalesce((SELECT bit_or(CASE x.role WHEN 'help' THEN 1 WHEN 'health' THEN 2 ELSE 4 END)
        FROM responsibility x JOIN member m ON m.id = x.member_id AND m.active
        WHERE x.target_type = 'resident' AND x.target_id = r.id AND x.to_date IS NULL
          AND x.role IN ('help', 'health', 'livelihood')), 0)::smallint AS contacts
    FROM resident r
    WHERE r.id = ANY(ids) AND r.status = 'active'
      AND (r.colour IN ('red', 'yellow') OR r.categories <> '{}' OR r.birth_date <= born_by)),
  old AS (SELECT * FROM pairing_resident_state WHERE resident_id = ANY(ids)),
  gone AS (DELETE FROM pairing_resident_state s WHERE s.resident_id = ANY(ids)
    AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.resident_id = s.resident_id)),
  kept AS (INSERT INTO pairing_resident_state (resident_id, grid_id, red_yellow, categories, elderly, contacts)
    SELECT * FROM fresh
    ON CONFLICT (resident_id) DO UPDATE SET grid_id = excluded.grid_id, red_yellow = excluded.red_yellow,
      categories = excluded.categories, elderly = excluded.elderly, contacts = excluded.contacts),
  delta AS (
    SELECT a.region_id, d.red_yellow, d.categories, d.elderly, d.contacts, sum(d.n)::int AS n FROM (
      SELECT grid_id, red_yellow, categories, elderly, contacts, -1 AS n FROM old
      UNION ALL SELECT grid_id, red_yellow, categories, elderly, contacts, 1 FROM fresh) d
    JOIN region g ON g.id = d.grid_id
    CROSS JOIN LATERAL unnest(string_to_array(trim(BOTH '/' FROM g.path), '/')::bigint[]) a(region_id)
    GROUP BY 1, 2, 3, 4, 5 HAVING sum(d.n) <> 0)
  INSERT INTO pairing_coverage_cell AS c (region_id, red_yellow, categories, elderly, contacts, residents)
  SELECT * FROM delta ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (region_id, red_yellow, categories, elderly, contacts)
  DO UPDATE SET residents = c.residents + excluded.residents;
END $$;
--> statement-breakpoint

-- Counts everyone from scratch as of born_by (first build, or repair).
CREATE FUNCTION pairing_rebuild(born_by date) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(7340, 0);
  INSERT INTO pairing_coverage_state (id, elderly_born_by) VALUES (1, born_by)
  ON CONFLICT (id) DO UPDATE SET elderly_born_by = excluded.elderly_born_by;
  DELETE FROM pairing_resident_state;
  DELETE FROM pairing_coverage_cell;
  INSERT INTO pairing_resident_state (resident_id, grid_id, red_yellow, categories, elderly, contacts)
  SELECT r.id, r.grid_id, r.colour IN ('red', 'yellow'), r.categories, coalesce(r.birth_date <= born_by, false),
    coalesce(c.contacts, 0)::smallint
  FROM resident r LEFT JOIN (
    SELECT x.target_id, bit_or(CASE x.role WHEN 'help' THEN 1 WHEN 'health' THEN 2 ELSE 4 END) AS contacts
    FROM responsibility x JOIN member m ON m.id = x.member_id AND m.active
    WHERE x.target_type = 'resident' AND x.to_date IS NULL AND x.role IN ('help', 'health', 'livelihood')
    GROUP BY x.target_id) c ON c.target_id = r.id
  WHERE r.status = 'active' AND (r.colour IN ('red', 'yellow') OR r.categories <> '{}' OR r.birth_date <= born_by);
  INSERT INTO pairing_coverage_cell (region_id, red_yellow, categories, elderly, contacts, residents)
  SELECT a.region_id, s.red_yellow, s.categories, s.elderly, s.contacts, sum(s.n)
  FROM (SELECT grid_id, red_yellow, categories, elderly, contacts, count(*) AS n
    FROM pairing_resident_state GROUP BY 1, 2, 3, 4, 5) s
  JOIN region g ON g.id = s.grid_id
  CROSS JOIN LATERAL unnest(string_to_array(trim(BOTH '/' FROM g.path), '/')::bigint[]) a(region_id)
  GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5;
  ANALYZE pairing_resident_state;
  ANALYZE pairing_coverage_cell;
END $$;
--> statement-breakpoint

-- Moves "elderly" to another day: only those whose 65th birthday lies between are recounted.
CREATE FUNCTION pairing_coverage_day(born_by date) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  was date;
BEGIN
  PERFORM pg_advisory_xact_lock(7340, 0);
  SELECT elderly_born_by INTO was FROM pairing_coverage_state WHERE id = 1;
  IF was IS NULL THEN PERFORM pairing_rebuild(born_by); RETURN; END IF;
  IF was = born_by THEN RETURN; END IF;
  UPDATE pairing_coverage_state SET elderly_born_by = born_by WHERE id = 1;
  PERFORM pairing_recount(array(SELECT id FROM resident
    WHERE birth_date > least(was, born_by) AND birth_date <= greatest(was, born_by)));
END $$;
--> statement-breakpoint

-- Writers of a county take turns; nothing to do before the rollup is built.
CREATE FUNCTION pairing_lock(counties text[]) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  c text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pairing_coverage_state WHERE elderly_born_by IS NOT NULL) THEN RETURN false; END IF;
  PERFORM pg_advisory_xact_lock_shared(7340, 0);
  FOR c IN SELECT DISTINCT u FROM unnest(counties) u WHERE u IS NOT NULL ORDER BY 1 LOOP
    PERFORM pg_advisory_xact_lock(7340, hashtext(c));
  END LOOP;
  RETURN true;
END $$;
--> statement-breakpoint

CREATE FUNCTION pairing_resident_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids bigint[];
BEGIN
  -- Only those who may be key (the young and green without a category never are).
  SELECT array_agg(n.id) INTO ids FROM new_rows n, pairing_coverage_state s
  WHERE s.id = 1 AND n.status = 'active'
    AND (n.colour IN ('red', 'yellow') OR n.categories <> '{}' OR n.birth_date <= s.elderly_born_by);
  IF ids IS NOT NULL AND pairing_lock(array(SELECT DISTINCT county_code FROM new_rows)) THEN
    PERFORM pairing_recount(ids);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint

CREATE FUNCTION pairing_resident_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids bigint[];
BEGIN
  SELECT array_agg(n.id) INTO ids FROM new_rows n JOIN old_rows o ON o.id = n.id
  WHERE (n.grid_id, n.status, n.colour, n.categories, n.birth_date)
    IS DISTINCT FROM (o.grid_id, o.status, o.colour, o.categories, o.birth_date);
  IF ids IS NOT NULL AND pairing_lock(array(SELECT county_code FROM new_rows UNION SELECT county_code FROM old_rows)) THEN
    PERFORM pairing_recount(ids);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint

CREATE FUNCTION pairing_resident_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids bigint[];
BEGIN
  SELECT array_agg(o.id) INTO ids FROM old_rows o;
  IF ids IS NOT NULL AND pairing_lock(array(SELECT DISTINCT county_code FROM old_rows)) THEN
    PERFORM pairing_recount(ids);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint

CREATE FUNCTION pairing_responsibility_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids bigint[];
BEGIN
  SELECT array_agg(DISTINCT n.target_id) INTO ids FROM new_rows n
  WHERE n.target_type = 'resident' AND n.role IN ('help', 'health', 'livelihood');
  IF ids IS NOT NULL AND pairing_lock(array(SELECT DISTINCT county_code FROM new_rows)) THEN
    PERFORM pairing_recount(ids);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint

CREATE FUNCTION pairing_responsibility_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids bigint[];
BEGIN
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

CREATE FUNCTION pairing_responsibility_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids bigint[];
BEGIN
  SELECT array_agg(DISTINCT o.target_id) INTO ids FROM old_rows o
  WHERE o.target_type = 'resident' AND o.role IN ('help', 'health', 'livelihood');
  IF ids IS NOT NULL AND pairing_lock(array(SELECT DISTINCT county_code FROM old_rows)) THEN
    PERFORM pairing_recount(ids);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint

-- A member deactivated (or back): everyone they answer for is recounted.
CREATE FUNCTION pairing_member_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids bigint[];
BEGIN
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

-- A grid whose path changed (moved, or its village or township moved: the subtree's paths change
-- in one statement) takes its counts from the regions above it before to those above it now.
CREATE FUNCTION pairing_region_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.level = 'grid' AND n.path <> o.path)
    OR NOT pairing_lock(array(SELECT county_code FROM new_rows WHERE county_code IS NOT NULL
      UNION SELECT county_code FROM old_rows WHERE county_code IS NOT NULL)) THEN
    RETURN NULL;
  END IF;
  WITH moved AS (
    SELECT n.id, o.path AS was, n.path AS now FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE n.level = 'grid' AND n.path <> o.path),
  delta AS (
    SELECT a.region_id, c.red_yellow, c.categories, c.elderly, c.contacts, sum(a.sign * c.residents)::int AS n
    FROM moved m JOIN pairing_coverage_cell c ON c.region_id = m.id
    CROSS JOIN LATERAL (
      SELECT x::bigint AS region_id, -1 AS sign FROM unnest(string_to_array(trim(BOTH '/' FROM m.was), '/')) x
      UNION ALL SELECT x::bigint, 1 FROM unnest(string_to_array(trim(BOTH '/' FROM m.now), '/')) x) a
    WHERE a.region_id <> m.id
    GROUP BY 1, 2, 3, 4, 5 HAVING sum(a.sign * c.residents) <> 0)
  INSERT INTO pairing_coverage_cell AS c (region_id, red_yellow, categories, elderly, contacts, residents)
  SELECT * FROM delta ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (region_id, red_yellow, categories, elderly, contacts)
  DO UPDATE SET residents = c.residents + excluded.residents;
  RETURN NULL;
END $$;
--> statement-breakpoint

CREATE TRIGGER pairing_region_upd AFTER UPDATE ON region REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION pairing_region_moved();
--> statement-breakpoint
CREATE TRIGGER pairing_resident_ins AFTER INSERT ON resident REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION pairing_resident_inserted();
--> statement-breakpoint
CREATE TRIGGER pairing_resident_upd AFTER UPDATE ON resident REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION pairing_resident_updated();
--> statement-breakpoint
CREATE TRIGGER pairing_resident_del AFTER DELETE ON resident REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION pairing_resident_deleted();
--> statement-breakpoint
CREATE TRIGGER pairing_responsibility_ins AFTER INSERT ON responsibility REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION pairing_responsibility_inserted();
--> statement-breakpoint
CREATE TRIGGER pairing_responsibility_upd AFTER UPDATE ON responsibility REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION pairing_responsibility_updated();
--> statement-breakpoint
CREATE TRIGGER pairing_responsibility_del AFTER DELETE ON responsibility REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION pairing_responsibility_deleted();
--> statement-breakpoint
CREATE TRIGGER pairing_member_upd AFTER UPDATE ON member REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION pairing_member_updated();
--> statement-breakpoint

-- Built now, as of today in China; reads move it to their own day (pairing_coverage_day).
SELECT pairing_rebuild(((now() AT TIME ZONE 'Asia/Shanghai')::date - interval '65 years')::date);
