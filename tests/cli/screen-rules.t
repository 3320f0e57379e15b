#!/bin/sh
# ctp-screen: the matching rules beyond exact names (nickname,
# middle_as_first, swapped_names, last_name_typo, dob_typo, phonetic and
# the _state forms on SAM), their names in ctp-screen matches and in the
# PSV entries, the organization's nickname pairs, and a cleared match
# staying cleared whatever rule raised it.
. "$(dirname "$0")/lib.sh"

new_org
ctp-user add alice --role coordinator >/dev/null
ctp-user add sam --role auditor >/dev/null
now=2026-01-01T00:00:00Z
sqlite3 "$CTP_DB" "INSERT INTO providers (npi, first_name, middle_name,
  last_name, suffix, dob, provider_type, practice_state, other_names,
  created_at, updated_at) VALUES
 ('1003000126','Bob',NULL,'Marsh',NULL,'1970-03-15','MD','TX',NULL,'$now','$now'),
 ('1851713903','J','Robert','Quill',NULL,'1971-04-16','MD','TX',NULL,'$now','$now'),
 ('1770626038','Lee',NULL,'Barnaby',NULL,'1972-05-17','MD','TX',NULL,'$now','$now'),
 ('1234567893','Anna',NULL,'Kowalczyk',NULL,'1973-06-18','MD','TX',NULL,'$now','$now'),
 ('1245319599','Olga',NULL,'Vantongeren',NULL,'1974-07-09','MD','TX',NULL,'$now','$now'),
 ('1376543212','Nora',NULL,'Stephenson',NULL,'1975-08-20','MD','TX',NULL,'$now','$now'),
 ('1588667638','Bill',NULL,'Haverford',NULL,'1976-09-21','MD','TX',NULL,'$now','$now'),
 ('1497758544','Wade',NULL,'Lindqvist',NULL,'1977-10-22','MD','NV',NULL,'$now','$now'),
 ('1326063726','Charles',NULL,'Pemberton','Jr','1985-04-04','MD','TX',NULL,'$now','$now'),
 ('1902809254','Roberta',NULL,'Ashcombe',NULL,'1978-11-23','MD','TX',NULL,'$now','$now'),
 ('1679576722','Kimo',NULL,'Alapai',NULL,'1979-12-24','MD','HI',NULL,'$now','$now'),
 ('1417013938','Elizabeth',NULL,'Newman',NULL,'1980-01-25','MD','TX','Thistlewood','$now','$now')"

leie() { # leie LAST FIRST MIDDLE DOB
	printf '"%s","%s","%s","","IND- LIC HC SERV PRO","","","0000000000","%s","1 MAIN ST","CITY","TX","00000","1128b4","20200101","00000000","00000000",""\r\n' "$@"
}
{
	printf 'LASTNAME,FIRSTNAME,MIDNAME,BUSNAME,GENERAL,SPECIALTY,UPIN,NPI,DOB,ADDRESS,CITY,STATE,ZIP,EXCLTYPE,EXCLDATE,REINDATE,WAIVERDATE,WVRSTATE\r\n'
	leie MARSH ROBERT "" 19700315		# nickname
	leie QUILL ROBERT "" 19710416		# middle_as_first
	leie LEE BARNABY "" 19720517		# swapped_names
	leie KOWALCZIK ANNA "" 19730618		# last_name_typo
	leie VANTONGEREN OLGA "" 19740907	# dob_typo
	leie STEVENSON NORA "" 19750820		# phonetic
	leie "PEMBERTON SR" CHARLES "" 19550404	# parent: no match
	leie ASHCOMBE ROBERT "" 19781123	# look-alike: no match
	leie ALAPAI JAMES "" 19791224		# the organization's pair
	leie THISTLEWOOD LIZ "" 19800125	# a former name, a nickname
} >"$T/leie.csv"
sam() { # sam FIRST MIDDLE LAST STATE N
	printf '"Individual","","","%s","%s","%s","","","","","","CITY","%s","USA","00000","","","","Reciprocal","HHS","","Prohibition/Restriction","","01/01/2020","Indefinite","","","S4MRULE%02d","","","2020-01-01"\r\n' "$@"
}
{
	printf '"Classification","Name","Prefix","First","Middle","Last","Suffix","Address 1","Address 2","Address 3","Address 4","City","State / Province","Country","Zip Code","Open Data Flag","Blank (Deprecated)","Unique Entity ID","Exclusion Program","Excluding Agency","CT Code","Exclusion Type","Additional Comments","Active Date","Termination Date","Record Status","Cross-Reference","SAM Number","CAGE","NPI","Creation_Date"\r\n'
	sam WILLIAM "" HAVERFORD TX 1		# nickname_state
	sam JOHN WADE LINDQVIST NV 2		# middle_state
	sam WILLIAM "" HAVERFORD OK 3		# other state: no match
} >"$T/sam.csv"

run ctp-screen load --leie "$T/leie.csv"
is "$rc" 0 "load the LEIE rows"
run ctp-screen load --sam "$T/sam.csv"
is "$rc" 0 "load the SAM rows"

# --- the organization's nickname pairs
run ctp-screen nicknames add Kimo Kimo
is "$rc" 65 "a pair of one name: exit 65"
like "$T/err" 'two different names' "says why"
run ctp-screen nicknames add Kimo "'"
is "$rc" 65 "a name without a letter: exit 65"
is "$(count screen_nicknames)" 0 "nothing written"
run env CTP_USER=sam ctp-screen nicknames add Kimo James
is "$rc" 77 "an auditor may not add a pair"
is "$(count screen_nicknames)" 0 "nothing written"
is "$(sqlite3 "$CTP_DB" "SELECT count(*) FROM audit WHERE actor = 'sam' AND action LIKE '%denied%'")" 1 \
	"the refusal is audit-logged"
run ctp-screen nicknames add Kimo James extra
is "$rc" 2 "nicknames add with three names: usage"
run env CTP_USER=alice ctp-screen nicknames add Kimo James
is "$rc" 0 "a coordinator adds Kimo for James"
is "$(sqlite3 "$CTP_DB" "SELECT json_extract(detail, '\$.a') || ',' || json_extract(detail, '\$.b') || ',' || actor FROM audit WHERE action = 'screen.nickname'")" \
	"JAMES,KIMO,alice" "audit event screen.nickname, with the keys"
run ctp-screen nicknames add james kimo
is "$rc" 0 "the same pair again"
is "$(count screen_nicknames)" 1 "kept once"
run env CTP_USER=sam ctp-screen nicknames list --csv
is "$rc" 0 "an auditor lists the pairs"
is "$(cat "$T/out")" "name,nickname,added_by,added_at
Kimo,James,alice,$(sqlite3 "$CTP_DB" "SELECT added_at FROM screen_nicknames")" "list: the pair as added"

# --- the run
run ctp-screen run --as-of 2026-06-01 --csv
is "$rc" 1 "run: matches wait for review"
rule_of() { # rule_of NPI LIST: the rule of the provider's match there
	sqlite3 "$CTP_DB" "SELECT m.rule FROM screen_matches m JOIN providers p
	  ON p.id = m.provider_id WHERE p.npi = '$1' AND m.source = '$2'"
}
is "$(rule_of 1003000126 'OIG LEIE')" nickname "Bob for Robert, same DOB: nickname"
is "$(rule_of 1851713903 'OIG LEIE')" middle_as_first "J Robert Quill: middle_as_first"
is "$(rule_of 1770626038 'OIG LEIE')" swapped_names "Lee Barnaby as BARNABY LEE: swapped_names"
is "$(rule_of 1234567893 'OIG LEIE')" last_name_typo "Kowalczik for Kowalczyk: last_name_typo"
is "$(rule_of 1245319599 'OIG LEIE')" dob_typo "day and month swapped: dob_typo"
is "$(rule_of 1376543212 'OIG LEIE')" phonetic "Stevenson for Stephenson: phonetic"
is "$(rule_of 1588667638 SAM)" nickname_state "SAM, Bill for William, same state: nickname_state"
is "$(rule_of 1497758544 SAM)" middle_state "SAM, John Wade Lindqvist: middle_state"
is "$(rule_of 1679576722 'OIG LEIE')" nickname "the organization's pair: nickname"
is "$(rule_of 1417013938 'OIG LEIE')" nickname "a former name with a nickname: nickname"
is "$(rule_of 1326063726 'OIG LEIE')" "" "JR and SR, 30 years apart: no match"
is "$(rule_of 1902809254 'OIG LEIE')" "" "Roberta for Robert: no match"
is "$(count screen_matches)" 10 "ten matches, no others"
is "$(sqlite3 "$CTP_DB" "SELECT name_used FROM screen_matches m JOIN providers p ON p.id = m.provider_id WHERE p.npi = '1417013938'")" \
	"Elizabeth Thistlewood" "the former name is the one that matched"

# ctp-verify's oig and sam verifiers judge by the same rules
results() { sed 1d "$T/out" | cut -d, -f1,4,8 | tr '\n' ' '; }
CTP_USER=alice run ctp-verify --kind oig --as-of 2026-06-01 1003000126 1234567893 1326063726
is "$rc" 1 "ctp-verify oig: matches for review: exit 1"
is "$(results)" "1003000126,oig,discrepancy 1234567893,oig,discrepancy 1326063726,oig,verified " \
	"oig: a nickname and a typo for review, the parent's entry not the child's"
CTP_USER=alice run ctp-verify --kind sam --as-of 2026-06-01 1588667638 1497758544
is "$(results)" "1588667638,sam,discrepancy 1497758544,sam,discrepancy " \
	"sam: nickname_state and middle_state for review"

# ctp-screen matches shows each rule
run ctp-screen matches --csv
is "$rc" 0 "matches"
for r in nickname middle_as_first swapped_names last_name_typo dob_typo \
    phonetic nickname_state middle_state; do
	like "$T/out" "^[0-9]+,[0-9]{10},[^,]*,[^,]*,(OIG LEIE|SAM),[0-9a-f]{32},$r,potential_match,pending," \
		"matches shows rule $r"
done
run ctp-screen matches --json
like "$T/out" '"rule":"swapped_names"' "--json: the rule too"

# the PSV entries name the rules
is "$(sqlite3 "$CTP_DB" "SELECT p.result || ' ' || json_extract(p.detail, '\$.rules') FROM psv_log p JOIN providers v ON v.id = p.provider_id WHERE v.npi = '1003000126' AND p.source = 'OIG LEIE'")" \
	'potential_match ["nickname"]' "the PSV entry names the rule: nickname"
is "$(sqlite3 "$CTP_DB" "SELECT json_extract(p.detail, '\$.rules') FROM psv_log p JOIN providers v ON v.id = p.provider_id WHERE v.npi = '1497758544' AND p.source = 'SAM'")" \
	'["middle_state"]' "and on SAM: middle_state"
is "$(sqlite3 "$CTP_DB" "SELECT p.result || ' ' || p.detail FROM psv_log p JOIN providers v ON v.id = p.provider_id WHERE v.npi = '1326063726' AND p.source = 'OIG LEIE' AND p.method = 'list file'")" \
	'clear {"run":1}' "a parent's entry leaves the child clear"
is "$(sqlite3 "$CTP_DB" "SELECT json_extract(detail, '\$.rule') FROM audit WHERE action = 'screen.match' ORDER BY seq" | sort -u | tr '\n' ' ')" \
	"dob_typo last_name_typo middle_as_first middle_state nickname nickname_state phonetic swapped_names " \
	"each screen.match event names its rule"

# --- a cleared match stays cleared, whatever rule raised it
id=$(sqlite3 "$CTP_DB" "SELECT m.id FROM screen_matches m JOIN providers p ON p.id = m.provider_id WHERE p.npi = '1376543212'")
run ctp-screen review "$id" --clear --note "another Nora, other records"
is "$rc" 0 "clear the phonetic match"
id2=$(sqlite3 "$CTP_DB" "SELECT m.id FROM screen_matches m JOIN providers p ON p.id = m.provider_id WHERE p.npi = '1588667638'")
run ctp-screen review "$id2" --clear --note "not him"
is "$rc" 0 "clear the nickname_state match"
n=$(count screen_matches)
run ctp-screen run --as-of 2026-06-02 1376543212 1588667638 --csv
is "$rc" 0 "run again: nothing waits for review"
is "$(count screen_matches)" "$n" "no match raised again"
is "$(sqlite3 "$CTP_DB" "SELECT status FROM screen_matches WHERE id IN ($id, $id2)" | sort -u)" cleared \
	"both stay cleared"
is "$(sqlite3 "$CTP_DB" "SELECT result FROM psv_log WHERE detail LIKE '%\"run\":2%' ORDER BY id" | sort -u)" clear \
	"their PSV entries say clear"

# a match cleared under one rule stays cleared when another raises it
id3=$(sqlite3 "$CTP_DB" "SELECT m.id FROM screen_matches m JOIN providers p ON p.id = m.provider_id WHERE p.npi = '1245319599'")
run ctp-screen review "$id3" --clear --note "a different Olga"
is "$rc" 0 "clear the dob_typo match"
sqlite3 "$CTP_DB" "UPDATE providers SET dob = '1974-09-07' WHERE npi = '1245319599'"
run ctp-screen run --as-of 2026-06-03 1245319599 --csv
is "$rc" 0 "the DOB now agrees: name_dob, and still nothing to review"
is "$(sqlite3 "$CTP_DB" "SELECT rule || ' ' || status FROM screen_matches WHERE id = $id3")" \
	"name_dob cleared" "the same entry: its rule is name_dob now, still cleared"
is "$(count screen_matches)" "$n" "no new match"

# --- a nickname table that is missing is an error, not a silent miss
run env CTP_SHAREDIR="$T/none" ctp-screen run --as-of 2026-06-01
is "$rc" 66 "no nickname table: exit 66"
like "$T/err" "nicknames.csv: cannot open" "names the file"
is "$(count screen_runs)" 3 "no run written"

done_testing
