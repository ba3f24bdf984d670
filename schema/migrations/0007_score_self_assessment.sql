CREATE TABLE `score_self_assessments` (
	`tenant_id` text NOT NULL,
	`criterion` text NOT NULL,
	`position` text,
	`ambitions` text DEFAULT '{}' NOT NULL,
	`note` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `criterion`)
);
