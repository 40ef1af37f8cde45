// Parse iCalendar from stdin with Mozilla's ical.js (the parser inside Thunderbird) and print
// its VEVENTs and their occurrences as JSON. Times are resolved with the VTIMEZONE definitions in
// the file itself (ical.js has no zone database of its own), then shown as wall time in `zone`
// and as UTC.
//
// `components` has one entry per VEVENT as written (a master, an override, a lone instance);
// `events` has one per occurrence: a recurring VEVENT is expanded by its RRULE, RDATE and EXDATE,
// each occurrence taking what its RECURRENCE-ID override (same UID) says, as Thunderbird shows it.
//
// Usage: node tests/calendar/icaljs_expand.mjs [Europe/Helsinki] < calendar.ics
import ICAL from "ical.js";

const zoneName = process.argv[2] || "Europe/Helsinki";

// RFC 7986 5.1 makes NAME a TEXT value, as X-WR-CALNAME (Apple's) always was; ical.js's design
// set predates it and would keep their escapes ("a\, b") as written.
for (const name of ["name", "x-wr-calname"]) {
  ICAL.design.icalendar.property[name] = ICAL.design.icalendar.property.summary;
}

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

function describe(event, start, end) {
  const vevent = event.component;
  const recurrenceId = vevent.getFirstPropertyValue("recurrence-id");
  return {
    uid: event.uid,
    recurrence_id: recurrenceId ? wall(recurrenceId.convertToZone(utc)) + "Z" : null,
    summary: event.summary,
    description: event.description,
    location: event.location,
    status: vevent.getFirstPropertyValue("status"),
    sequence: event.sequence,
    url: vevent.getFirstPropertyValue("url"),
    categories: vevent.getAllProperties("categories").flatMap((p) => p.getValues()),
    attendees: vevent.getAllProperties("attendee").map((p) => p.getFirstValue()),
    attendee_names: vevent.getAllProperties("attendee").map((p) => p.getParameter("cn")),
    organizer: vevent.getFirstPropertyValue("organizer"),
    organizer_name: vevent.hasProperty("organizer")
      ? vevent.getFirstProperty("organizer").getParameter("cn")
      : null,
    rrule: vevent.hasProperty("rrule") ? String(vevent.getFirstPropertyValue("rrule")) : null,
    tzid: start.zone ? start.zone.tzid : null,
    start_local: localZone ? wall(start.convertToZone(localZone)) : null,
    end_local: localZone ? wall(end.convertToZone(localZone)) : null,
    start_utc: wall(start.convertToZone(utc)) + "Z",
    end_utc: wall(end.convertToZone(utc)) + "Z",
  };
}

// The VEVENTs of one UID belong together: the master (no RECURRENCE-ID) and its overrides.
const byUid = new Map();
for (const vevent of root.getAllSubcomponents("vevent")) {
  const uid = vevent.getFirstPropertyValue("uid");
  if (!byUid.has(uid)) byUid.set(uid, { masters: [], overrides: [] });
  const group = byUid.get(uid);
  (vevent.hasProperty("recurrence-id") ? group.overrides : group.masters).push(vevent);
}

const components = [];
const events = [];
for (const { masters, overrides } of byUid.values()) {
  for (const vevent of [...masters, ...overrides]) {
    const event = new ICAL.Event(vevent, { strictExceptions: true, exceptions: [] });
    components.push(describe(event, event.startDate, event.endDate));
  }
  if (masters.length > 1) throw new Error("two VEVENTs without RECURRENCE-ID share a UID");
  // Overrides without their master (a person's dates of a series) stand on their own: each is
  // one occurrence (ical.js's iterator yields nothing for a RECURRENCE-ID without its master).
  if (!masters.length) {
    for (const vevent of overrides) {
      const event = new ICAL.Event(vevent, { strictExceptions: true, exceptions: [] });
      const details = describe(event, event.startDate, event.endDate);
      details.occurrence_id = details.recurrence_id;
      events.push(details);
    }
    continue;
  }
  const [event] = masters.map(
    (master) => new ICAL.Event(master, { strictExceptions: true, exceptions: overrides }),
  );
  const iterator = event.iterator();
  let next;
  let count = 0;
  while ((next = iterator.next()) && count < 200) {
    count += 1;
    const occurrence = event.getOccurrenceDetails(next);
    const item = occurrence.item || event;
    const details = describe(item, occurrence.startDate, occurrence.endDate);
    details.occurrence_id = wall(occurrence.recurrenceId.convertToZone(utc)) + "Z";
    events.push(details);
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
    components,
    events,
  }),
);
