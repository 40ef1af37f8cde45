// Parse iCalendar from stdin with Mozilla's ical.js (the parser inside Thunderbird) and print
// the expanded events as JSON. Times are resolved with the VTIMEZONE definitions in the file
// itself (ical.js has no zone database of its own), then shown as wall time in `zone` and as UTC.
//
// Usage: node tests/calendar/icaljs_expand.mjs [Europe/Helsinki] < calendar.ics
import ICAL from "ical.js";

const zoneName = process.argv[2] || "Europe/Helsinki";

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on("data", (chunk) => chunks.push(chunk));
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", reject);
  });
}

function wall(time) {
  // "2026-03-26T09:00:00" without any zone suffix.
  return time.toString().slice(0, 19);
}

const text = await readStdin();
const root = new ICAL.Component(ICAL.parse(text));
if (root.name !== "vcalendar") {
  throw new Error(`expected a VCALENDAR, got ${root.name}`);
}
const zones = {};
for (const vtimezone of root.getAllSubcomponents("vtimezone")) {
  const zone = new ICAL.Timezone(vtimezone);
  ICAL.TimezoneService.register(zone, vtimezone.getFirstPropertyValue("tzid"));
  zones[zone.tzid] = zone;
}
const localZone = zones[zoneName];
const utc = ICAL.Timezone.utcTimezone;

const events = [];
for (const vevent of root.getAllSubcomponents("vevent")) {
  const event = new ICAL.Event(vevent);
  const iterator = event.iterator();
  let next;
  let count = 0;
  while ((next = iterator.next()) && count < 100) {
    count += 1;
    const occurrence = event.getOccurrenceDetails(next);
    const start = occurrence.startDate;
    const end = occurrence.endDate;
    events.push({
      uid: event.uid,
      summary: event.summary,
      description: event.description,
      location: event.location,
      status: vevent.getFirstPropertyValue("status"),
      sequence: event.sequence,
      url: vevent.getFirstPropertyValue("url"),
      categories: vevent.getAllProperties("categories").flatMap((p) => p.getValues()),
      attendees: vevent.getAllProperties("attendee").map((p) => p.getFirstValue()),
      tzid: start.zone ? start.zone.tzid : null,
      start_local: localZone ? wall(start.convertToZone(localZone)) : null,
      end_local: localZone ? wall(end.convertToZone(localZone)) : null,
      start_utc: wall(start.convertToZone(utc)) + "Z",
      end_utc: wall(end.convertToZone(utc)) + "Z",
    });
  }
}
process.stdout.write(
  JSON.stringify({
    name: root.getFirstPropertyValue("name"),
    x_wr_calname: root.getFirstPropertyValue("x-wr-calname"),
    method: root.getFirstPropertyValue("method"),
    refresh_interval: root.getFirstProperty("refresh-interval")
      ? String(root.getFirstPropertyValue("refresh-interval"))
      : null,
    timezones: Object.keys(zones),
    events,
  }),
);
