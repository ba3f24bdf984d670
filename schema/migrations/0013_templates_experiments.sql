CREATE TABLE `experiment_daily` (
	`experiment_id` text NOT NULL,
	`variant` text NOT NULL,
	`day` text NOT NULL,
	`tenant_id` text NOT NULL,
	`exposures` integer NOT NULL,
	`measured` integer NOT NULL,
	`successes` integer NOT NULL,
	`rate` real,
	`interval_low` real,
	`interval_high` real,
	`probability_best` real,
	`p_value` real,
	`guardrails` text DEFAULT '{}' NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`experiment_id`, `variant`, `day`)
);
--> statement-breakpoint
CREATE INDEX `experiment_daily_tenant` ON `experiment_daily` (`tenant_id`,`experiment_id`);--> statement-breakpoint
CREATE TABLE `experiment_units` (
	`experiment_id` text NOT NULL,
	`tenant_id` text NOT NULL,
	`debtor_id` text NOT NULL,
	`variant` text NOT NULL,
	`exposed_at` integer NOT NULL,
	`locale` text,
	`segment` text,
	`paid_at` integer,
	`arrangement_at` integer,
	`already_paid_at` integer,
	`clicked_at` integer,
	`opened_at` integer,
	`help_at` integer,
	`complained_at` integer,
	`sms_stop_at` integer,
	`unsubscribed_at` integer,
	`disputed_at` integer,
	PRIMARY KEY(`experiment_id`, `debtor_id`)
);
--> statement-breakpoint
CREATE INDEX `experiment_units_debtor` ON `experiment_units` (`tenant_id`,`debtor_id`);--> statement-breakpoint
CREATE TABLE `experiments` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`template_key` text NOT NULL,
	`channel` text NOT NULL,
	`locales` text NOT NULL,
	`segments` text,
	`help_first` integer DEFAULT 0 NOT NULL,
	`variants` text NOT NULL,
	`window_days` integer NOT NULL,
	`duration_days` integer,
	`sample_size` integer,
	`mde` real NOT NULL,
	`alpha` real NOT NULL,
	`status` text NOT NULL,
	`state` text DEFAULT '{}' NOT NULL,
	`actor` text NOT NULL,
	`created_at` integer NOT NULL,
	`started_at` integer NOT NULL,
	`enrolment_ended_at` integer,
	`ended_at` integer,
	`ended_reason` text,
	`promoted_variant` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `experiments_tenant` ON `experiments` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `experiments_status` ON `experiments` (`status`);--> statement-breakpoint
CREATE TABLE `template_versions` (
	`tenant_id` text NOT NULL,
	`template_key` text NOT NULL,
	`locale` text NOT NULL,
	`version` integer NOT NULL,
	`status` text NOT NULL,
	`copy` text NOT NULL,
	`based_on` integer DEFAULT 0 NOT NULL,
	`note` text,
	`actor` text NOT NULL,
	`created_at` integer NOT NULL,
	`published_at` integer,
	`published_by` text,
	PRIMARY KEY(`tenant_id`, `template_key`, `locale`, `version`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `template_versions_published` ON `template_versions` (`tenant_id`,`template_key`,`locale`) WHERE status = 'published';