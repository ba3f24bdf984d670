CREATE TABLE `call_tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`debtor_id` text NOT NULL,
	`outbox_id` text NOT NULL,
	`status` text NOT NULL,
	`name` text NOT NULL,
	`phone` text,
	`locale` text NOT NULL,
	`subject` text NOT NULL,
	`script` text NOT NULL,
	`created_at` integer NOT NULL,
	`closed_at` integer,
	`outcome` text,
	`note` text
);
--> statement-breakpoint
CREATE INDEX `call_tasks_tenant` ON `call_tasks` (`tenant_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `call_tasks_debtor` ON `call_tasks` (`tenant_id`,`debtor_id`);--> statement-breakpoint
CREATE INDEX `call_tasks_time` ON `call_tasks` (`created_at`);--> statement-breakpoint
CREATE TABLE `link_codes` (
	`code_hash` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`debtor_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `link_codes_debtor` ON `link_codes` (`tenant_id`,`debtor_id`);--> statement-breakpoint
CREATE INDEX `link_codes_expiry` ON `link_codes` (`expires_at`);--> statement-breakpoint
ALTER TABLE `api_keys` ADD `mode` text DEFAULT 'live' NOT NULL;--> statement-breakpoint
ALTER TABLE `api_keys` ADD `name` text;--> statement-breakpoint
ALTER TABLE `api_keys` ADD `scopes` text;--> statement-breakpoint
ALTER TABLE `api_keys` ADD `expires_at` integer;--> statement-breakpoint
ALTER TABLE `api_keys` ADD `last_used_at` integer;--> statement-breakpoint
ALTER TABLE `tenants` ADD `mode` text DEFAULT 'live' NOT NULL;--> statement-breakpoint
ALTER TABLE `tenants` ADD `account_id` text;--> statement-breakpoint
ALTER TABLE `tenants` ADD `retention_months` integer DEFAULT 24 NOT NULL;--> statement-breakpoint
ALTER TABLE `tenants` ADD `pay_later_enabled` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `tenants` ADD `closed_at` integer;--> statement-breakpoint
CREATE INDEX `debtor_index_idle` ON `debtor_index` (`open_invoices`,`updated_at`);--> statement-breakpoint
CREATE INDEX `message_routes_time` ON `message_routes` (`created_at`);--> statement-breakpoint
CREATE INDEX `message_routes_debtor` ON `message_routes` (`tenant_id`,`debtor_id`);--> statement-breakpoint
CREATE INDEX `sandbox_messages_time` ON `sandbox_messages` (`created_at`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_created` ON `webhook_deliveries` (`created_at`);--> statement-breakpoint
-- Every existing account gets its test environment, and existing test keys move into it: a
-- test key must never reach live data or a live provider (hand-written, kept on regeneration).
INSERT OR IGNORE INTO `tenants` (`id`, `name`, `display_name`, `contact_email`, `country`, `enterprise_number`, `address_lines`, `profile`, `created_at`, `mode`, `account_id`, `retention_months`)
SELECT `id` || '.test', `name`, `display_name`, `contact_email`, `country`, `enterprise_number`, `address_lines`, `profile`, `created_at`, 'test', `id`, 3 FROM `tenants` WHERE `mode` = 'live' AND `id` NOT LIKE '%.test';--> statement-breakpoint
UPDATE `api_keys` SET `mode` = 'test', `tenant_id` = `tenant_id` || '.test' WHERE `prefix` LIKE 'kind_test_%' AND `tenant_id` NOT LIKE '%.test';
