// What the Worker gets for `import moment from "moment-timezone"` (wrangler.toml [alias]):
// moment-timezone's core without the 700 KiB table of every zone, loaded with only the zones the
// NL and BE holiday rules name (date-holidays-parser's CalDate asks moment-timezone for them).
// A relative path, because an alias also rewrites "moment-timezone/..." subpaths.
import moment from "../../node_modules/moment-timezone/moment-timezone.js";
import { TIME_ZONE_DATA } from "../policy/holiday-data";

moment.tz.load(TIME_ZONE_DATA);

export default moment;
