CREATE TABLE "import_job" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"account_id" bigint,
	"region_path" text NOT NULL,
	"actor" jsonb NOT NULL,
	"target" jsonb NOT NULL,
	"file_name" text NOT NULL,
	"file_path" text NOT NULL,
	"state" text NOT NULL,
	"progress" jsonb NOT NULL,
	"check_report" jsonb,
	"result_report" jsonb,
	"error" jsonb,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"owner" text,
	"heartbeat_at" timestamp with time zone,
	CONSTRAINT "import_job_kind_ck" CHECK ("import_job"."kind" in ('ledger','members')),
	CONSTRAINT "import_job_state_ck" CHECK ("import_job"."state" in ('checking','checked','committing','committed','rejected','failed'))
);
--> statement-breakpoint
ALTER TABLE "category" ADD COLUMN "active" boolean DEFAULT true NOT NULL;--> statement-breakpoint
CREATE INDEX "import_job_updated_idx" ON "import_job" USING btree ("updated_at");