#!/usr/bin/env python3
"""Usage: itinerary_check.py AFTERCARE_BINARY PROTOCOL.json

One trip, checked every 30 minutes against a reference written here in Python (zoneinfo, the
system's tz database), not with the app's code: Toronto, London, Tokyo, Apia, Honolulu (the
date line eastward: the same local dates again), Lord Howe (its 30-minute DST offset, and the
date line westward), back to Toronto. Toronto's spring-forward day lies in the first stay.

A plan starts in Toronto with the built-in protocol (PROTOCOL.json, read here for the steps,
windows and restrictions). Then at every 30 minutes from the treatment until the plan is over,
`aftercare --zone Z today --json --at T`, with Z the zone of the stop the patient is at: the
first run in a new zone is the zone change (CLI.md, "Travel"). Nothing is checked off, so what is
past is missed. At each moment the reference computes, by the travel rule of CLI.md:
  - the day number (the N-th 24 h after the treatment) and the local date of the current zone;
  - which occurrences are listed due, missed (today) and upcoming, and which missed on earlier
    days, with their ids and instants: every list groups by the local date of the instant in
    the current zone, one whose window is open is due whatever its date;
  - the active restrictions and the instants they end.
Then, on the whole plan as the last moment lists it (every occurrence, missed): the same ids and
instants as the reference, and the rule's bounds: no step twice within half its spacing, no gap
longer than its longest gap within one zone (plus an hour for a DST change) plus half its
spacing. Prints the count of moments and of disagreements; exits 1 on any disagreement.
"""
import json
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

UTC = timezone.utc
HALF_HOUR = timedelta(minutes=30)

# Where the patient is from when, local to that stop.
STOPS = [
    ("2027-03-10T18:00", "America/Toronto"),
    ("2027-03-15T09:00", "Europe/London"),
    ("2027-03-18T14:00", "Asia/Tokyo"),
    ("2027-03-21T08:00", "Pacific/Apia"),
    ("2027-03-23T07:30", "Pacific/Honolulu"),
    ("2027-03-26T12:00", "Australia/Lord_Howe"),
    ("2027-03-31T18:00", "America/Toronto"),
]
TREATED = ("2027-03-10T18:00", "America/Toronto")


def local_instant(text, zone):
    """A local wall time in zone: in a gap the offset before it, in an overlap the earlier (fold=0,
    PEP 495), which is RFC 5545's reading and CLI.md's."""
    naive = datetime.strptime(text, "%Y-%m-%dT%H:%M")
    return naive.replace(tzinfo=ZoneInfo(zone), fold=0).astimezone(UTC)


def resolve(day, minutes, zone):
    naive = datetime(day.year, day.month, day.day) + timedelta(minutes=minutes)
    return naive.replace(tzinfo=ZoneInfo(zone), fold=0).astimezone(UTC)


def parse_duration(text):
    value, unit = int(text[:-1]), text[-1]
    return {"m": timedelta(minutes=value), "h": timedelta(hours=value), "d": timedelta(days=value)}[unit]


def parse_clock(text):
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def parse_iso(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def local_date(instant, zone):
    return instant.astimezone(ZoneInfo(zone)).date()


class Step:
    def __init__(self, step_id, spec):
        self.id = step_id
        schedule = spec["schedule"]
        self.kind = schedule["type"]
        self.condition = spec.get("condition")
        self.start = parse_duration(spec.get("from", "0m"))
        self.until = parse_duration(spec["until"]) if "until" in spec else None
        self.window = parse_duration(spec["window"])
        if self.kind == "once":
            self.after = parse_duration(schedule["after"])
            self.times = []
        elif self.kind == "daily":
            self.times = [parse_clock(t) for t in schedule["times"]]
        else:
            first, last = (parse_clock(t) for t in schedule["between"])
            self.interval = parse_duration(schedule["interval"])
            self.times = list(range(first, last + 1, self.interval // timedelta(minutes=1)))

    def half_spacing(self):
        if self.kind == "every":
            return self.interval / 2
        return timedelta(hours=12) / (len(self.times) if self.times else 1)


def wall_times(step, zone, lo, hi):
    """The step's wall-clock occurrences in zone scheduled in [lo, hi): (at, wall, zone)."""
    found = []
    if lo >= hi:
        return found
    day = local_date(lo, zone) - timedelta(days=1)
    last = local_date(hi - timedelta(seconds=1), zone) + timedelta(days=1)
    while day <= last:
        for minutes in step.times:
            at = resolve(day, minutes, zone)
            if lo <= at < hi:
                found.append((at, datetime(day.year, day.month, day.day) + timedelta(minutes=minutes), zone))
        day += timedelta(days=1)
    return found


def expand(steps, treated, segments):
    """Every occurrence of the plan: (id, step, scheduled, due_until). segments: [(from, zone)].

    CLI.md's travel rule: occurrences planned before a change keep their instants (the old
    zone's before it, and its next ones until the new zone's first); the new zone plans those
    whose windows are open at the change or open later, except one within half the step's
    spacing of one already planned."""
    out = []
    for step in steps:
        if step.condition:  # a mode never turned on: not planned
            continue
        lo = treated + step.start
        hi = treated + step.until if step.until else treated + timedelta(days=400)
        if step.kind == "once":
            at = treated + step.after
            if lo <= at < hi:
                out.append((step.id, step, at, at + step.window))
            continue
        planned = []
        ids = set()
        continuation = []

        def plan(at, wall, zone):
            planned.append(at)
            occurrence = f"{step.id}@{wall:%Y-%m-%dT%H:%M}"
            if occurrence in ids:  # a local date and time again: add the offset it was planned at
                offset = wall.replace(tzinfo=UTC) - at
                sign = "-" if offset < timedelta(0) else "+"
                total = abs(offset) // timedelta(minutes=1)
                occurrence += f"{sign}{total // 60:02d}:{total % 60:02d}"
            ids.add(occurrence)
            out.append((occurrence, step, at, at + step.window))

        for k, (seg_from, zone) in enumerate(segments):
            seg_to = segments[k + 1][0] if k + 1 < len(segments) else hi
            seg_lo = lo if k == 0 else max(lo, seg_from - step.window + timedelta(seconds=1))
            seg_hi = min(hi, seg_to)
            found = wall_times(step, zone, seg_lo, min(hi, seg_to + timedelta(days=2)))
            mine = [c for c in found if c[0] < seg_hi]
            first_new = mine[0][0] if mine else seg_hi
            for c in continuation:
                if seg_from <= c[0] < first_new:
                    plan(*c)
            for c in mine:
                if k > 0 and any(abs(c[0] - p) < step.half_spacing() for p in planned):
                    continue
                plan(*c)
            continuation = [c for c in found if c[0] >= seg_hi]
    out.sort(key=lambda o: o[2])
    return out


def expected_lists(occurrences, now, zone, created, horizon):
    today = local_date(now, zone)
    lists = {"due": set(), "missed": set(), "upcoming": set(), "earlier_missed": set()}
    for occurrence, _, at, until in occurrences:
        if at >= horizon:
            continue
        status = "missed" if now >= until else "due" if now >= at else "upcoming"
        if status == "missed" and until <= created:
            continue
        day = today if status == "due" else local_date(at, zone)
        key = (occurrence, at)
        if day > today:
            lists["upcoming"].add(key)
        elif day == today:
            lists[status].add(key)
        elif status == "missed":
            lists["earlier_missed"].add(key)
    return lists


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    binary, protocol_path = sys.argv[1], sys.argv[2]
    protocol = json.load(open(protocol_path, encoding="utf-8"))
    steps = [Step(step_id, spec) for step_id, spec in protocol["steps"].items()]
    restrictions = {r_id: parse_duration(spec["duration"]) for r_id, spec in protocol["restrictions"].items()}
    treated = local_instant(*TREATED)
    stops = [(local_instant(text, zone), zone) for text, zone in STOPS]
    plan_end = treated + max(s.until if s.until else s.after + s.window for s in steps)
    finish = plan_end + timedelta(hours=12)

    data = tempfile.mkdtemp(prefix="aftercare-itinerary-")

    def run(zone, *args):
        done = subprocess.run([binary, "--data-dir", data, "--zone", zone, *args],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"itinerary: aftercare {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    run(TREATED[1], "plan", "start", "--treated", TREATED[0], "--at", TREATED[0])
    created = treated
    segments = []  # the zone changes, as the app learns of them
    problems = []
    moments = 0
    last = None
    now = treated
    while now <= finish:
        zone = [z for at, z in stops if at <= now][-1]
        if not segments or segments[-1][1] != zone:
            segments.append((now if segments else treated, zone))
        stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
        doc = json.loads(run(zone, "today", "--json", "--at", stamp))
        moments += 1
        where = f"{stamp} in {zone}"
        day_number = (now - treated) // timedelta(hours=24)
        if doc["day"] != day_number:
            problems.append(f"{where}: day {doc['day']}, expected {day_number}")
        if doc["date"] != local_date(now, zone).isoformat():
            problems.append(f"{where}: date {doc['date']}, expected {local_date(now, zone)}")
        occurrences = expand(steps, treated, segments)
        today = local_date(now, zone)
        midnight = resolve(today + timedelta(days=3), 0, zone)
        horizon = min(midnight, max(plan_end, now))
        expected = expected_lists(occurrences, now, zone, created, horizon)
        for name, want in expected.items():
            got = {(item["occurrence"], parse_iso(item["scheduled"])) for item in doc[name]}
            if got != want:
                extra = sorted(o for o, _ in got - want)[:4]
                lacking = sorted(o for o, _ in want - got)[:4]
                problems.append(f"{where}: {name} has {extra} too many, lacks {lacking}")
        active = {r["restriction"]: parse_iso(r["ends"]) for r in doc["restrictions"]}
        want_active = {r: treated + d for r, d in restrictions.items() if treated <= now < treated + d}
        if active != want_active:
            problems.append(f"{where}: restrictions {sorted(active)}, expected {sorted(want_active)}")
        last = (doc, occurrences)
        now += HALF_HOUR

    # The whole plan, as the last moment lists it: all of it past, so all missed.
    doc, occurrences = last
    listed = {}
    for name in ("missed", "earlier_missed"):
        for item in doc[name]:
            listed[item["occurrence"]] = (item["step"], parse_iso(item["scheduled"]))
    want = {o: (s.id, at) for o, s, at, _ in occurrences if at + s.window > created}
    if listed != want:
        problems.append(f"whole plan: {len(listed)} occurrences listed, {len(want)} expected; "
                        f"differ: {sorted(set(listed) ^ set(want))[:6]}")
    by_step = {}
    for occurrence, (step_id, at) in listed.items():
        by_step.setdefault(step_id, []).append((at, occurrence))
    checked_gaps = 0
    for step in steps:
        if step.kind != "daily" or step.id not in by_step:
            continue
        times = sorted(step.times)
        longest = max([24 * 60 - times[-1] + times[0]] + [b - a for a, b in zip(times, times[1:])])
        bound = timedelta(minutes=longest) + timedelta(hours=1) + step.half_spacing()
        mine = sorted(by_step[step.id])
        for (a, first), (b, second) in zip(mine, mine[1:]):
            checked_gaps += 1
            if b - a < step.half_spacing():
                problems.append(f"{step.id}: {first} and {second} are {b - a} apart")
            if b - a > bound:
                problems.append(f"{step.id}: {first} to {second} is a gap of {b - a}")

    for problem in problems[:30]:
        print(f"itinerary: {problem}", file=sys.stderr)
    zones = " > ".join(z.split("/")[-1] for _, z in STOPS)
    print(f"itinerary {zones}: {moments} moments every 30 min checked against the Python "
          f"reference, {len(listed)} occurrences and {checked_gaps} gaps of the whole plan; "
          f"{len(problems)} disagreements")
    if problems:
        print(f"itinerary: the data dir is kept in {data}", file=sys.stderr)
        return 1
    shutil.rmtree(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
