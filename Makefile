# ctp - plain GNU make, pkg-config, no autotools.
#
#   make            build lib/libctp.a and every program in cmd/
#   make check      build and run every test (installs dependencies first)
#   make check-fast the unit tests and the quick whole-program tests
#   make asan       the same tests under AddressSanitizer and UBSan
#   make demo       build and run the day's work on a sample organization
#   make bench      benchmarks (scripts/bench)
#   make fuzz       each fuzz entry point for FUZZ_SECONDS (needs clang)
#   make stress     kill -9, concurrent runs, a full disk (scripts/stress)
#   make install    PREFIX=/usr/local DESTDIR=
#   make install-team  the same, setgid ctp, with /var/lib/ctp (as root)
#   make deb        ctp_VERSION_amd64.deb (scripts/deb)

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBEXECDIR ?= $(PREFIX)/libexec/ctp
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
SHAREDIR ?= $(PREFIX)/share/ctp
# A team install (make install-team, the .deb): the group every program
# is setgid to, where its databases live and where downloads are cached.
TEAMGROUP ?= ctp
TEAMDIR ?= /var/lib/ctp
TEAMCACHEDIR ?= /var/cache/ctp
# The user the timers of dist/systemd and dist/cron.d-ctp run as, and
# where install-team puts them.
TIMERUSER ?= ctp-timer
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
EXAMPLEDIR ?= $(PREFIX)/share/doc/ctp/examples

CC ?= cc
CFLAGS ?= -O2 -g
WERROR ?= -Werror
SANITIZE ?=
B ?= build

PKG_CONFIG ?= pkg-config
PKGS = sqlite3 libcurl jansson libzip libcrypto libqpdf
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)

CTP_CFLAGS = -std=c17 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-Wall -Wextra $(WERROR) -Ilib $(PKG_CFLAGS)
ifneq ($(SANITIZE),)
CTP_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
CTP_LDFLAGS += -fsanitize=$(SANITIZE)
# lib/sanitize.c: no leak check in a setgid run, where it cannot work.
CTP_LDFLAGS += $(B)/lib/sanitize.o
endif
LIBS = $(PKG_LIBS) -lcsv -lhpdf -lm -pthread

LIB_SRC := $(sort $(wildcard lib/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(B)/%.o)
CMD_SRC := $(sort $(wildcard cmd/*.c))
PROGS := $(CMD_SRC:cmd/%.c=$(B)/bin/%)
# Helper programs ctp runs itself (verifiers): libexec/NAME.c is built as
# $(B)/libexec/ctp/NAME and installed in $(LIBEXECDIR); ctp finds them
# beside its own programs (BINDIR/../libexec/ctp), then on PATH.
LIBEXEC_SRC := $(sort $(wildcard libexec/*.c))
LIBEXEC_PROGS := $(LIBEXEC_SRC:libexec/%.c=$(B)/libexec/ctp/%)
LIBEXEC_SCRIPTS := $(sort $(wildcard libexec/*.sh))
LIBEXEC_PROGS += $(LIBEXEC_SCRIPTS:libexec/%.sh=$(B)/libexec/ctp/%)
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/unit/%)
MANS := $(sort $(wildcard man/*.[17]))
BENCH_SRC := $(sort $(wildcard scripts/bench/*.c))
BENCH_BIN := $(BENCH_SRC:scripts/bench/%.c=$(B)/bench/%)

# Fuzz entry points: tests/fuzz/NAME.c, with fuzz.c (what they share).
# make check replays each corpus (tests/fuzz/corpus/NAME) through one
# built with replay.c and the normal compiler; make fuzz builds them with
# clang and libFuzzer into build-fuzz/ and runs each (tests/fuzz/run).
FUZZ_NAMES := $(sort $(filter-out fuzz replay,\
	$(basename $(notdir $(wildcard tests/fuzz/*.c)))))
FUZZ_REPLAY := $(FUZZ_NAMES:%=$(B)/tests/unit/fuzz_%)
UNIT_BIN += $(FUZZ_REPLAY)
FUZZ_SECONDS ?= 60
STRESS_ROUNDS ?= 3

.PHONY: all check test asan demo bench install uninstall clean deps lint \
	install-team deb \
	fuzz fuzz-build stress

all: $(B)/lib/libctp.a $(PROGS) $(LIBEXEC_PROGS)

# Before the first compile: a library that is missing is named with its
# Debian package, instead of a compiler error.  Asks only pkg-config and
# the preprocessor (no apt), once per make, in about 50 ms; "+" runs it
# under make -n too.
.PHONY: depcheck
depcheck:
	+@PKG_CONFIG='$(PKG_CONFIG)' CC='$(CC)' CPPFLAGS='$(CPPFLAGS)' \
		CFLAGS='$(PKG_CFLAGS) $(CFLAGS)' scripts/install-deps --check-build

$(B)/lib/%.o: lib/%.c $(wildcard lib/*.h) | depcheck
	@mkdir -p $(@D)
	$(CC) $(CTP_CFLAGS) $(CFLAGS) -c -o $@ $<

# The data files ctp reads (share/ctp): installed in SHAREDIR, else read
# from the source tree when the programs run from the build tree.
$(B)/lib/nickname.o: CTP_CFLAGS += -DCTP_SHAREDIR='"$(SHAREDIR)"' \
	-DCTP_SRCSHARE='"$(CURDIR)/share/ctp"'
$(B)/lib/nickname.o: $(B)/sharedir
$(B)/sharedir: FORCE
	@mkdir -p $(@D)
	@echo '$(SHAREDIR)' | cmp -s - $@ || echo '$(SHAREDIR)' > $@
# Only priv.o knows the team directories (priv.h); it is built again
# when they change.
$(B)/lib/priv.o: CTP_CFLAGS += -DCTP_TEAMDIR='"$(TEAMDIR)"' \
	-DCTP_TEAMCACHEDIR='"$(TEAMCACHEDIR)"'
$(B)/lib/priv.o: $(B)/teamdirs
$(B)/teamdirs: FORCE
	@mkdir -p $(@D)
	@echo '$(TEAMDIR) $(TEAMCACHEDIR)' | cmp -s - $@ || \
		echo '$(TEAMDIR) $(TEAMCACHEDIR)' > $@
.PHONY: FORCE
FORCE:

$(B)/lib/libctp.a: $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(B)/bin/%: cmd/%.c $(B)/lib/libctp.a
	@mkdir -p $(@D)
	$(CC) $(CTP_CFLAGS) $(CFLAGS) $(CTP_LDFLAGS) $(LDFLAGS) -o $@ $< \
		$(B)/lib/libctp.a $(LIBS)

$(B)/libexec/ctp/%: libexec/%.c $(B)/lib/libctp.a
	@mkdir -p $(@D)
	$(CC) $(CTP_CFLAGS) $(CFLAGS) $(CTP_LDFLAGS) $(LDFLAGS) -o $@ $< \
		$(B)/lib/libctp.a $(LIBS)

$(B)/libexec/ctp/%: libexec/%.sh
	@mkdir -p $(@D)
	install -m 755 $< $@

$(B)/tests/unit/%: tests/unit/%.c tests/unit/tap.h $(B)/lib/libctp.a
	@mkdir -p $(@D)
	$(CC) $(CTP_CFLAGS) -Itests/unit $(CFLAGS) $(CTP_LDFLAGS) $(LDFLAGS) \
		-o $@ $< $(B)/lib/libctp.a $(LIBS)

$(B)/bench/%: scripts/bench/%.c $(B)/lib/libctp.a
	@mkdir -p $(@D)
	$(CC) $(CTP_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/lib/libctp.a $(LIBS)

$(B)/tests/unit/fuzz_%: tests/fuzz/%.c tests/fuzz/fuzz.c tests/fuzz/fuzz.h \
    tests/fuzz/replay.c tests/unit/tap.h $(B)/lib/libctp.a
	@mkdir -p $(@D)
	$(CC) $(CTP_CFLAGS) -Itests/unit -Itests/fuzz -DFUZZ_NAME='"$*"' \
		$(CFLAGS) $(CTP_LDFLAGS) $(LDFLAGS) -o $@ tests/fuzz/$*.c \
		tests/fuzz/fuzz.c tests/fuzz/replay.c $(B)/lib/libctp.a $(LIBS)

$(B)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz.c tests/fuzz/fuzz.h \
    $(B)/lib/libctp.a
	@mkdir -p $(@D)
	$(CC) $(CTP_CFLAGS) -Itests/fuzz $(CFLAGS) -fsanitize=fuzzer \
		$(CTP_LDFLAGS) $(LDFLAGS) -o $@ tests/fuzz/$*.c \
		tests/fuzz/fuzz.c $(B)/lib/libctp.a $(LIBS)

# Install what is missing (a fresh machine), then build and test.
deps:
	@scripts/install-deps --check >/dev/null 2>&1 || scripts/install-deps

check: deps
	@$(MAKE) --no-print-directory test

test: all $(UNIT_BIN)
	@CTP_TOP=$(CURDIR) CTP_BIN=$(CURDIR)/$(B)/bin CTP_UNIT=$(CURDIR)/$(B)/tests/unit \
		scripts/runtests

# The unit tests and the whole-program tests not on scripts/runtests'
# SLOW list: under 15 s.
.PHONY: check-fast test-fast
check-fast: deps
	@$(MAKE) --no-print-directory test-fast

test-fast: all $(UNIT_BIN)
	@CTP_TOP=$(CURDIR) CTP_BIN=$(CURDIR)/$(B)/bin CTP_UNIT=$(CURDIR)/$(B)/tests/unit \
		scripts/runtests --fast

asan:
	@$(MAKE) --no-print-directory B=build-asan \
		SANITIZE=address,undefined CFLAGS="-O1 -g" check

# The library instrumented for libFuzzer, then each entry point run from
# its corpus; what it finds waits in build-fuzz/ (tests/fuzz/run).
fuzz: deps
	@scripts/install-deps --fuzz --check >/dev/null 2>&1 || \
		scripts/install-deps --fuzz
	@$(MAKE) --no-print-directory B=build-fuzz CC=clang WERROR= \
		SANITIZE=address,undefined \
		CFLAGS="-O1 -g -fsanitize=fuzzer-no-link" fuzz-build
	@FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run build-fuzz $(FUZZ_NAMES)

fuzz-build: $(B)/lib/libctp.a $(FUZZ_NAMES:%=$(B)/fuzz/%)

stress: deps
	@scripts/install-deps --stress --check >/dev/null 2>&1 || \
		scripts/install-deps --stress
	@$(MAKE) --no-print-directory all
	@CTP_BIN=$(CURDIR)/$(B)/bin STRESS_ROUNDS=$(STRESS_ROUNDS) scripts/stress

lint:
	mandoc -Tlint -W warning $(MANS)

demo: deps
	@$(MAKE) --no-print-directory all
	@CTP_BIN=$(CURDIR)/$(B)/bin scripts/demo

bench: deps
	@$(MAKE) --no-print-directory all $(BENCH_BIN)
	@CTP_BIN=$(CURDIR)/$(B)/bin CTP_BENCH=$(CURDIR)/$(B)/bench scripts/bench/run

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(SHAREDIR)
	install -m 755 $(PROGS) $(DESTDIR)$(BINDIR)
	$(if $(LIBEXEC_PROGS),install -d $(DESTDIR)$(LIBEXECDIR) && \
		install -m 755 $(LIBEXEC_PROGS) $(DESTDIR)$(LIBEXECDIR))
	install -m 644 $(filter %.1,$(MANS)) $(DESTDIR)$(MANDIR)/man1
	install -m 644 $(filter %.7,$(MANS)) $(DESTDIR)$(MANDIR)/man7
	install -m 644 completions/bash/* $(DESTDIR)$(BASHCOMPDIR)
	install -m 644 completions/zsh/* $(DESTDIR)$(ZSHCOMPDIR)
	install -m 644 share/ctp/* $(DESTDIR)$(SHAREDIR)

# A team install (priv.h): the group, its directories, and every
# program setgid to it.  The verifiers in LIBEXECDIR are not setgid:
# ctp-verify starts its own with the group (verify_exec.c).  DESTDIR
# only for packaging: the group is made on this machine.
install-team: install
	getent group $(TEAMGROUP) >/dev/null || groupadd --system $(TEAMGROUP)
	getent passwd $(TIMERUSER) >/dev/null || useradd --system \
		--user-group --home-dir /nonexistent --no-create-home \
		--shell /usr/sbin/nologin $(TIMERUSER)
	install -d -m 2770 -g $(TEAMGROUP) $(DESTDIR)$(TEAMDIR) \
		$(DESTDIR)$(TEAMCACHEDIR) $(DESTDIR)$(TEAMCACHEDIR)/lists
	cd $(DESTDIR)$(BINDIR) && chgrp $(TEAMGROUP) $(PROGS:$(B)/bin/%=%) && \
		chmod 2755 $(PROGS:$(B)/bin/%=%)
	install -d $(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(EXAMPLEDIR)
	for u in dist/systemd/* dist/cron.d-ctp; do \
		case $$u in */cron.d-ctp) d=$(EXAMPLEDIR) ;; \
		*) d=$(SYSTEMDUNITDIR) ;; esac; \
		sed -e 's|/usr/bin/|$(BINDIR)/|g' -e 's|/var/lib/ctp|$(TEAMDIR)|g' \
		    -e 's|ctp-timer|$(TIMERUSER)|g' $$u >$(DESTDIR)$$d/$${u##*/} && \
		chmod 644 $(DESTDIR)$$d/$${u##*/} || exit 1; \
	done

# The Debian package, from this tree (scripts/deb), built apart in
# $(B)-deb with the hardening Debian asks of a setgid program.
DEB_CFLAGS = $(CFLAGS) -D_FORTIFY_SOURCE=2 -fstack-protector-strong
DEB_LDFLAGS = $(LDFLAGS) -Wl,-z,relro,-z,now
deb:
	@B=$(B)-deb CFLAGS='$(DEB_CFLAGS)' LDFLAGS='$(DEB_LDFLAGS)' \
		MAKE='$(MAKE)' scripts/deb

uninstall:
	rm -f $(PROGS:$(B)/bin/%=$(DESTDIR)$(BINDIR)/%)
	rm -f $(LIBEXEC_PROGS:$(B)/libexec/ctp/%=$(DESTDIR)$(LIBEXECDIR)/%)
	rm -f $(patsubst man/%,$(DESTDIR)$(MANDIR)/man1/%,$(filter %.1,$(MANS)))
	rm -f $(patsubst man/%,$(DESTDIR)$(MANDIR)/man7/%,$(filter %.7,$(MANS)))
	rm -f $(patsubst completions/bash/%,$(DESTDIR)$(BASHCOMPDIR)/%,\
		$(wildcard completions/bash/*))
	rm -f $(patsubst completions/zsh/%,$(DESTDIR)$(ZSHCOMPDIR)/%,\
		$(wildcard completions/zsh/*))
	rm -f $(patsubst share/ctp/%,$(DESTDIR)$(SHAREDIR)/%,\
		$(wildcard share/ctp/*))

clean:
	rm -rf build build-asan build-fuzz
