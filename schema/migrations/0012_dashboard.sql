CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`user_id` text NOT NULL,
	`action` text NOT NULL,
	`subject` text,
	`at` integer NOT NULL,
	`detail` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_tenant_time` ON `audit_log` (`tenant_id`,`at`);--> statement-breakpoint
CREATE TABLE `dashboard_sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`tenant_id` text NOT NULL,
	`csrf_token` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE INDEX `dashboard_sessions_user` ON `dashboard_sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `dashboard_users` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`locale` text DEFAULT 'nl' NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text,
	`disabled_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dashboard_users_email` ON `dashboard_users` (`tenant_id`,`email`);--> statement-breakpoint
CREATE INDEX `dashboard_users_by_email` ON `dashboard_users` (`email`);--> statement-breakpoint
CREATE TABLE `debtor_cycles` (
	`tenant_id` text NOT NULL,
	`debtor_id` text NOT NULL,
	`cycle` integer NOT NULL,
	`ended_at` integer NOT NULL,
	`end_date` text NOT NULL,
	`end_week` text NOT NULL,
	`outcome` text NOT NULL,
	`segment` text NOT NULL,
	`ladder` text NOT NULL,
	`policy_version` integer NOT NULL,
	`variant` text NOT NULL,
	`principal_cents` integer NOT NULL,
	`recovered_cents` integer NOT NULL,
	`costs_cents` integer NOT NULL,
	`lead_days` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `debtor_id`, `cycle`)
);
--> statement-breakpoint
CREATE TABLE `debtor_orders` (
	`tenant_id` text NOT NULL,
	`order_id` text NOT NULL,
	`debtor_id` text NOT NULL,
	`order_date` text NOT NULL,
	`amount_cents` integer NOT NULL,
	`reported_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `order_id`)
);
--> statement-breakpoint
CREATE INDEX `debtor_orders_debtor` ON `debtor_orders` (`tenant_id`,`debtor_id`);--> statement-breakpoint
CREATE TABLE `nps_responses` (
	`tenant_id` text NOT NULL,
	`debtor_id` text NOT NULL,
	`cycle` integer NOT NULL,
	`score` integer NOT NULL,
	`comment` text,
	`segment` text NOT NULL,
	`ladder` text NOT NULL,
	`policy_version` integer NOT NULL,
	`variant` text NOT NULL,
	`answered_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `debtor_id`, `cycle`)
);
--> statement-breakpoint
CREATE INDEX `nps_responses_time` ON `nps_responses` (`tenant_id`,`answered_at`);--> statement-breakpoint
CREATE TABLE `rollup_cohort` (
	`tenant_id` text NOT NULL,
	`due_week` text NOT NULL,
	`invoices` integer DEFAULT 0 NOT NULL,
	`paid` integer DEFAULT 0 NOT NULL,
	`cancelled` integer DEFAULT 0 NOT NULL,
	`handed_over` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`tenant_id`, `due_week`)
);
--> statement-breakpoint
CREATE TABLE `rollup_cohort_days` (
	`tenant_id` text NOT NULL,
	`due_week` text NOT NULL,
	`days` integer NOT NULL,
	`n` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`tenant_id`, `due_week`, `days`)
);
--> statement-breakpoint
CREATE TABLE `rollup_cycles` (
	`tenant_id` text NOT NULL,
	`dim` text NOT NULL,
	`key` text NOT NULL,
	`end_week` text NOT NULL,
	`cycles` integer DEFAULT 0 NOT NULL,
	`ended_well` integer DEFAULT 0 NOT NULL,
	`principal_cents` integer DEFAULT 0 NOT NULL,
	`recovered_cents` integer DEFAULT 0 NOT NULL,
	`costs_cents` integer DEFAULT 0 NOT NULL,
	`lead_days` integer DEFAULT 0 NOT NULL,
	`reordered_90` integer DEFAULT 0 NOT NULL,
	`reordered_180` integer DEFAULT 0 NOT NULL,
	`revenue_90_cents` integer DEFAULT 0 NOT NULL,
	`revenue_180_cents` integer DEFAULT 0 NOT NULL,
	`nps_promoters` integer DEFAULT 0 NOT NULL,
	`nps_passives` integer DEFAULT 0 NOT NULL,
	`nps_detractors` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`tenant_id`, `dim`, `key`, `end_week`)
);
--> statement-breakpoint
CREATE TABLE `rollup_funnel` (
	`tenant_id` text NOT NULL,
	`week` text NOT NULL,
	`segment` text NOT NULL,
	`step` text NOT NULL,
	`channel` text NOT NULL,
	`sent` integer DEFAULT 0 NOT NULL,
	`delivered` integer DEFAULT 0 NOT NULL,
	`opened` integer DEFAULT 0 NOT NULL,
	`clicked` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL,
	`cost_cents` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`tenant_id`, `week`, `segment`, `step`, `channel`)
);
--> statement-breakpoint
CREATE TABLE `rollup_paid_after` (
	`tenant_id` text NOT NULL,
	`week` text NOT NULL,
	`segment` text NOT NULL,
	`step` text NOT NULL,
	`channel` text NOT NULL,
	`days` integer NOT NULL,
	`n` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`tenant_id`, `week`, `segment`, `step`, `channel`, `days`)
);
--> statement-breakpoint
CREATE TABLE `rollup_tenant` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`open_cents` integer DEFAULT 0 NOT NULL,
	`open_invoices` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `rollup_week` (
	`tenant_id` text NOT NULL,
	`week` text NOT NULL,
	`invoices_registered` integer DEFAULT 0 NOT NULL,
	`registered_cents` integer DEFAULT 0 NOT NULL,
	`invoices_paid` integer DEFAULT 0 NOT NULL,
	`paid_cents` integer DEFAULT 0 NOT NULL,
	`invoices_cancelled` integer DEFAULT 0 NOT NULL,
	`messages_sent` integer DEFAULT 0 NOT NULL,
	`costs_cents` integer DEFAULT 0 NOT NULL,
	`handovers` integer DEFAULT 0 NOT NULL,
	`help_requests` integer DEFAULT 0 NOT NULL,
	`complaints` integer DEFAULT 0 NOT NULL,
	`disputes` integer DEFAULT 0 NOT NULL,
	`already_paid` integer DEFAULT 0 NOT NULL,
	`arrangements` integer DEFAULT 0 NOT NULL,
	`nps_promoters` integer DEFAULT 0 NOT NULL,
	`nps_passives` integer DEFAULT 0 NOT NULL,
	`nps_detractors` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`tenant_id`, `week`)
);
--> statement-breakpoint
CREATE TABLE `signin_links` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`tenant_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer
);
--> statement-breakpoint
CREATE INDEX `signin_links_user` ON `signin_links` (`user_id`,`created_at`);