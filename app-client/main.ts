/**
 * The dashboard's client bundle: progressive enhancement only. Every page works without it
 * (forms post, tables show the data); with it, charts are drawn and previews update live.
 */
import { drawCharts } from "./charts";
import { enhancePreviews } from "./preview";

drawCharts();
enhancePreviews();
