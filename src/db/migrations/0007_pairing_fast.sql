CREATE TABLE "pairing_coverage_cell" (
	"region_id" bigint NOT NULL,
	"red_yellow" boolean NOT NULL,
	"categories" text[] NOT NULL,
	"elderly" boolean NOT NULL,
	"contacts" smallint NOT NULL,
	"residents" integer NOT NULL,
	CONSTRAINT "pairing_coverage_cell_region_id_red_yellow_categories_elderly_contacts_pk" PRIMARY KEY("region_id","red_yellow","categories","elderly","contacts")
);
--> statement-breakpoint
CREATE TABLE "pairing_coverage_state" (
	"id" smallint PRIMARY KEY NOT NULL,
	"elderly_born_by" date
);
--> statement-breakpoint
CREATE TABLE "pairing_resident_state" (
	"resident_id" bigint PRIMARY KEY NOT NULL,
	"grid_id" bigint NOT NULL,
	"red_yellow" boolean NOT NULL,
	"categories" text[] NOT NULL,
	"elderly" boolean NOT NULL,
	"contacts" smallint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "pairing_proposal_item" DROP CONSTRAINT "pairing_proposal_item_proposal_id_pairing_proposal_id_fk";
--> statement-breakpoint
ALTER TABLE "pairing_proposal_item" DROP CONSTRAINT "pairing_proposal_item_resident_id_resident_id_fk";
--> statement-breakpoint
ALTER TABLE "pairing_proposal_item" DROP CONSTRAINT "pairing_proposal_item_member_id_member_id_fk";
--> statement-breakpoint
CREATE INDEX "pairing_state_grid_idx" ON "pairing_resident_state" USING btree ("grid_id","contacts");