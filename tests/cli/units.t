#!/bin/sh
# The systemd timer templates of dist/systemd pass systemd-analyze verify,
# instantiated for an organization, against a scratch root holding the
# programs they run; the cron example runs nothing until uncommented.
. "$(dirname "$0")/lib.sh"

S=$top/dist/systemd
if ! command -v systemd-analyze >/dev/null || [ ! -d /usr/lib/systemd/system ]
then
	skip "systemd-analyze verify" "systemd-analyze missing"
else
	R=$T/root
	mkdir -p "$R/usr/bin" "$R/bin" "$R/usr/lib/systemd" "$R/etc/systemd/system"
	cp -a /usr/lib/systemd/system "$R/usr/lib/systemd/"
	cp /bin/sh "$R/bin/"
	for p in ctp-screen ctp-npi ctp-expiring; do
		cp "$CTP_BIN/$p" "$R/usr/bin/"
	done
	cp "$S"/* "$R/etc/systemd/system/"
	for u in ctp-screen ctp-npi ctp-inbox; do
		for k in service timer; do
			run systemd-analyze verify --man=no --root="$R" \
			    "$u@acme.$k"
			is "$rc" 0 "systemd-analyze verify $u@acme.$k"
			[ -s "$T/err" ] && sed 's/^/# /' "$T/err" | head -3
		done
	done
	rm "$R/usr/bin/ctp-npi"
	run systemd-analyze verify --man=no --root="$R" ctp-npi@acme.service
	is "$rc" 1 "and it would see a program missing"
fi

# Each timer: an instance per organization, nothing enabled by itself.
for u in ctp-screen ctp-npi ctp-inbox; do
	like "$S/$u@.timer" '^WantedBy=timers.target$' "$u@.timer: enabled by hand"
	like "$S/$u@.timer" '^Persistent=true$' "$u@.timer: a missed run is made up"
	like "$S/$u@.service" "^User=ctp-timer$" "$u@.service: as ctp-timer"
	like "$S/$u@.service" "/var/lib/ctp/%i.db" "$u@.service: the instance's database"
	unlike "$S/$u@.service" "NoNewPrivileges" "$u@.service: setgid still works"
done
like "$S/ctp-screen@.timer" '^OnCalendar=\*-\*-02 03:00$' "screening monthly"
like "$S/ctp-npi@.timer" '^OnCalendar=\*-\*-\* 02:00$' "NPI refresh nightly"
like "$S/ctp-inbox@.timer" '^OnCalendar=Mon \*-\*-\* 06:00$' "inbox weekly"

# The cron example: the same schedule, every line commented out.
C=$top/dist/cron.d-ctp
unlike "$C" '^[^#]' "cron.d-ctp runs nothing as shipped"
like "$C" '^#0 3 2 \* \*	ctp-timer	ctp-screen .* fetch && ctp-screen .* run$' "cron: screening monthly"
like "$C" '^#0 2 \* \* \*	ctp-timer	ctp-npi .* refresh$' "cron: NPI nightly"
like "$C" '^#0 6 \* \* 1	ctp-timer	ctp-expiring ' "cron: inbox weekly"

done_testing
