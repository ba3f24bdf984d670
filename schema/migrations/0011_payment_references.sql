CREATE TABLE `payment_references` (
	`tenant_id` text NOT NULL,
	`reference` text NOT NULL,
	`debtor_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `reference`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payment_references_debtor` ON `payment_references` (`tenant_id`,`debtor_id`);