ALTER TABLE "order_event" DROP CONSTRAINT "order_event_order_id_service_order_id_fk";
--> statement-breakpoint
ALTER TABLE "order_party" DROP CONSTRAINT "order_party_order_id_service_order_id_fk";
--> statement-breakpoint
ALTER TABLE "order_party" DROP CONSTRAINT "order_party_member_id_member_id_fk";
--> statement-breakpoint
ALTER TABLE "service_order" DROP CONSTRAINT "service_order_assignee_member_id_member_id_fk";
--> statement-breakpoint
ALTER TABLE "service_order" DROP CONSTRAINT "service_order_assignee_team_id_team_id_fk";
--> statement-breakpoint
-- Instead of the foreign keys, which every filing paid for: members, teams and orders are kept
-- for the record (a member is deactivated, a team disbanded, an order closed or cancelled), so
-- deleting one is refused and nothing an order names can vanish.
CREATE FUNCTION lianxin_kept_for_the_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are kept for the record: deactivate or close them instead of deleting', TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END $$;
--> statement-breakpoint
CREATE TRIGGER member_kept BEFORE DELETE OR TRUNCATE ON member FOR EACH STATEMENT EXECUTE FUNCTION lianxin_kept_for_the_record();
--> statement-breakpoint
CREATE TRIGGER team_kept BEFORE DELETE OR TRUNCATE ON team FOR EACH STATEMENT EXECUTE FUNCTION lianxin_kept_for_the_record();
--> statement-breakpoint
CREATE TRIGGER service_order_kept BEFORE DELETE OR TRUNCATE ON service_order FOR EACH STATEMENT EXECUTE FUNCTION lianxin_kept_for_the_record();
