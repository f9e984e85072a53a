#!/usr/bin/env bash
# Kills `aftercare backup`, `export json`, `restore FILE` and `clinic import` with SIGKILL at
# random moments across their whole run, and checks after each kill what a user would rely on:
# - backup: every backup `restore` lists passes integrity_check (a killed one is never listed),
#   and the database verifies;
# - export: a file is there with its manifest and a clinic imports it, or it is incomplete (no
#   manifest, which the clinic refuses) and never a manifest without its file; the next export
#   works;
# - restore: the database verifies, and the entry logged after the backup is in it or in the
#   copy set aside;
# - clinic import: the clinic database passes integrity_check, and importing again gives one
#   patient.
# Usage: kill_during.sh path/to/aftercare [TRIALS]   (the suite runs 48; 12 per command)
set -euo pipefail
aftercare=$1
trials=${2:-48}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
data=$work/patient
patient=("$aftercare" --data-dir "$data" --zone Europe/London)
run() { "${patient[@]}" "$@"; }
integrity() { sqlite3 "$1" 'PRAGMA integrity_check' 2>&1; }
seconds() { awk -v us="$1" 'BEGIN {printf "%.6f", us / 1e6}'; }

run plan start --treated 2027-06-10T09:00 --at 2027-06-10T09:30 >/dev/null
for hour in 10 11 12 13 14 15 16 17; do
  run --at "2027-06-11T$hour:00" checkin redness=2 swelling=1 --note "at $hour" >/dev/null
done
run --at 2027-06-11T18:00 backup >/dev/null
chosen=$(run restore --json | sed -n 's/.*"file": "\([^"]*\)".*/\1/p' | head -1)
[ -f "$chosen" ] || fail "no backup to restore"
cp "$chosen" "$work/chosen.db"

# How long a command takes here: kills are spread over 0 to 1.5 times that.
span_of() {
  local start
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || true
  echo $((($(date +%s%N) - start) / 1000 * 3 / 2))
}

counts=(0 0 0 0)
killed=0
for i in $(seq 1 "$trials"); do
  kind=$((i % 4))
  case $kind in
    0) command=("${patient[@]}" --at 2027-06-11T19:00 backup) ;;
    1)
      out=$work/out-$i
      mkdir -p "$out"
      command=("${patient[@]}" --at 2027-06-11T19:00 export json --out "$out/e.json")
      ;;
    2)
      run --at 2027-06-11T19:00 log itching 1 --note "after-backup-$i" >/dev/null
      command=("${patient[@]}" --at 2027-06-11T19:00 restore "$work/chosen.db")
      ;;
    3)
      clinic=$work/clinic-$i
      exports=$work/exports
      if [ ! -d "$exports" ]; then
        mkdir -p "$exports"
        run --at 2027-06-11T19:00 export json --out "$exports/p.json" >/dev/null
      fi
      command=("$aftercare" --at 2027-06-12T09:00 clinic import --clinic-dir "$clinic" "$exports")
      ;;
  esac
  [ -n "${span[$kind]:-}" ] || span[$kind]=$(span_of "${command[@]}")
  [ $kind = 3 ] && rm -rf "$clinic"
  [ $kind = 1 ] && rm -f "$out"/*
  # The program itself in the background (not a shell function, whose subshell the kill would
  # hit while the program ran on).
  "${command[@]}" >/dev/null 2>&1 &
  pid=$!
  sleep "$(seconds $((RANDOM * ${span[$kind]} / 32768)))"
  kill -KILL "$pid" 2>/dev/null || true
  if wait "$pid" 2>/dev/null; then status=0; else status=$?; fi
  [ $status = 137 ] && killed=$((killed + 1))
  counts[$kind]=$((counts[$kind] + 1))
  case $kind in
    0)
      run restore --json >"$work/listed" || fail "trial $i: the backups cannot be listed"
      grep -q '"file"' "$work/listed" || fail "trial $i: no backup listed"
      while read -r file; do
        [ "$(integrity "$file")" = ok ] || fail "trial $i: listed backup $file is damaged"
      done < <(sed -n 's/.*"file": "\([^"]*\)".*/\1/p' "$work/listed")
      ;;
    1)
      if [ -f "$out/e.json.manifest.json" ]; then
        [ -f "$out/e.json" ] || fail "trial $i: a manifest without its export"
        "$aftercare" --at 2027-06-12T09:00 clinic import --clinic-dir "$work/check-$i" \
          "$out/e.json" --json >"$work/imported" || true
        grep -q "\"outcome\": \"imported\"" "$work/imported" ||
          fail "trial $i: a complete export the clinic does not import: $(cat "$work/imported")"
        rm -rf "$work/check-$i"
      elif [ $status = 0 ]; then
        fail "trial $i: export exited 0 without its manifest"
      fi
      run --at 2027-06-11T19:00 export json --out "$out/again.json" >/dev/null ||
        fail "trial $i: the export after the kill failed"
      ;;
    2)
      note="after-backup-$i"
      found=0
      for db in "$data/aftercare.db" "$data"/aftercare.db.before-restore-*; do
        # Copies a killed restore left half-made (under temporary names) do not count.
        case $db in *-wal | *-shm | *-journal | *.partial-* | *.before-restore-copy-*) continue ;; esac
        [ -f "$db" ] || continue
        n=$(sqlite3 "$db" "SELECT count(*) FROM symptom_entry WHERE note = '$note'" 2>&1) ||
          fail "trial $i: $db cannot be read: $n"
        [ "$n" -gt 0 ] 2>/dev/null && found=1
      done
      [ $found = 1 ] || fail "trial $i: the entry logged before the restore is lost"
      ;;
    3)
      if [ -f "$clinic/clinic.db" ]; then
        [ "$(integrity "$clinic/clinic.db")" = ok ] || fail "trial $i: clinic.db is damaged"
      fi
      "$aftercare" --at 2027-06-12T09:05 clinic import --clinic-dir "$clinic" "$exports" \
        >/dev/null || fail "trial $i: importing again after the kill failed"
      "$aftercare" --at 2027-06-12T09:05 clinic list --clinic-dir "$clinic" --json \
        >"$work/patients" || fail "trial $i: the clinic cannot list its patients"
      [ "$(grep -c '"patient": "P-' "$work/patients")" = 1 ] ||
        fail "trial $i: not one patient after importing again"
      ;;
  esac
  run --at 2027-06-11T19:30 verify >/dev/null || fail "trial $i: the chain does not verify"
  [ "$(integrity "$data/aftercare.db")" = ok ] || fail "trial $i: aftercare.db is damaged"
done
echo "kill test: $trials trials (${counts[0]} backup, ${counts[1]} export, ${counts[2]} restore," \
  "${counts[3]} clinic import), $killed killed mid-run; nothing listed damaged, nothing lost"
