#!/bin/sh
# ctp-user: members, roles, invitations and refusals.
. "$(dirname "$0")/lib.sh"
new_org

run ctp-user add alice --role coordinator
is "$rc" 0 "owner adds a coordinator"
run ctp-user add ann --role admin
run ctp-user add aud --role auditor
run ctp-user list --csv
like "$T/out" "^alice,coordinator,active,root," "listed"
run ctp-user list --json
like "$T/out" '^\{"user":"alice","role":"coordinator","status":"active"' "JSON Lines"

# Refusals: exit 77, nothing written but the refusal's audit row.
a0=$(count audit); u0=$(sqlite3 "$CTP_DB" "SELECT group_concat(name||role||status) FROM users")
run env CTP_USER=aud ctp-user add eve --role admin
is "$rc" 77 "an auditor cannot add users"
like "$T/err" "^ctp-user: aud: permission denied" "says who and why"
is "$(count audit)" $((a0 + 1)) "exactly one audit row: the refusal"
is "$(sqlite3 "$CTP_DB" "SELECT action FROM audit ORDER BY seq DESC LIMIT 1")" \
	auth.denied "the row is auth.denied"
is "$(sqlite3 "$CTP_DB" "SELECT group_concat(name||role||status) FROM users")" "$u0" "users unchanged"
run env CTP_USER=alice ctp-user role aud admin
is "$rc" 77 "a coordinator cannot change roles"
run env CTP_USER=mallory ctp-user list
is "$rc" 77 "an unknown user is refused"
like "$T/err" "no seat in this organization" "no seat"

# Owners and admins.
run env CTP_USER=ann ctp-user disable root
is "$rc" 77 "an admin cannot remove an owner"
run env CTP_USER=ann ctp-user role root admin
is "$rc" 77 "an admin cannot demote an owner"
run env CTP_USER=ann ctp-user add olga --role owner
is "$rc" 77 "an admin cannot grant ownership"
run env CTP_USER=ann ctp-user add bob --role coordinator
is "$rc" 0 "an admin adds a coordinator"
run ctp-user role root admin
is "$rc" 65 "the last owner cannot be demoted"
like "$T/err" "last owner" "says why"
run ctp-user disable root
is "$rc" 65 "the last owner cannot be disabled"
run ctp-user role ann owner
is "$rc" 0 "owner makes an admin owner"
run ctp-user role root admin
is "$rc" 0 "now root may step down"
run ctp-user add alice --role auditor
is "$rc" 65 "adding an existing member is refused"
like "$T/err" "already a member" "says so"

# Invitations.
run env CTP_USER=ann ctp-user invite carol --role auditor
is "$rc" 0 "invite"
run env CTP_USER=carol ctp-audit list
is "$rc" 77 "an invited user has no seat yet"
run env CTP_USER=dave ctp-user accept
is "$rc" 77 "accept without an invitation is refused"
run env CTP_USER=carol ctp-user accept
is "$rc" 0 "the invited user accepts"
run env CTP_USER=carol ctp-audit list
is "$rc" 0 "and now reads the audit log"
run ctp-user disable bob
is "$rc" 0 "disable"
run env CTP_USER=bob ctp-org show
is "$rc" 77 "a disabled user is refused"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE action IN ('user.add','user.invite','user.accept','user.role','user.disable')")" \
	10 "every change is audit-logged (with init's owner)"

# Usage errors.
run ctp-user add zed
is "$rc" 2 "add needs --role"
run ctp-user add zed --role king
is "$rc" 2 "unknown role is a usage error"
like "$T/err" "must be owner, admin, coordinator or auditor" "names the roles"
run ctp-user add "bad name" --role auditor
is "$rc" 2 "bad user name"
run ctp-user frobnicate
is "$rc" 2 "unknown verb"
run ctp-user
is "$rc" 2 "no verb"
like "$T/err" "usage: ctp-user" "usage hint"
done_testing
