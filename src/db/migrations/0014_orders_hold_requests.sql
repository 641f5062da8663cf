ALTER TABLE "service_order" ADD COLUMN "hold_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "service_order" ADD COLUMN "hold_requested_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "service_order" ADD COLUMN "hold_requested_by" bigint;--> statement-breakpoint
ALTER TABLE "service_order" ADD COLUMN "hold_request_reason" text;