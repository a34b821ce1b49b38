# Otinish — build, test, run, bench.  See README.md.
#
#   make            build build/otinish (installs missing packages first)
#   make SANITIZE=1 the same code with AddressSanitizer + UBSan, in build/san/
#   make test       unit + API tests, normal and sanitizer builds; ends with "N passed, N failed"
#   make run        build, create var/otinish.db with the VKO data and demo appeals, serve :8080
#   make bench      benchmarks with wrk (never part of make test)
#   make lint       clang-format check + include directions of the layers + cppcheck
#   make fuzz       [FUZZ_SECONDS=60] libFuzzer targets (tests/unit/fuzz/) on their kept
#                   corpora (tests/fuzz/corpus/NAME/, which grow); make test replays them
#   make install    [PREFIX=/usr/local] [DESTDIR=]: the binary, data/ and web/ under
#                   PREFIX/share/otinish, the systemd units and system user, and
#                   /etc/otinish/otinish.conf when absent; make uninstall removes them (but
#                   not the configuration)

SANITIZE ?= 0
PREFIX   ?= /usr/local
DESTDIR  ?=
SYSCONFDIR  ?= /etc
UNITDIR     ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
MANDIR      ?= $(PREFIX)/share/man
PKGS      = libmicrohttpd jansson sqlite3 libpq libsodium libcurl xlsxwriter
TEST_PKGS = cmocka

ifeq ($(SANITIZE),1)
B        := build/san
OPT      := -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
else
B        := build
OPT      := -O2
endif

CC      ?= cc
CFLAGS  := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -g $(OPT) -MMD -MP -Isrc $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDFLAGS := $(filter -fsanitize%,$(OPT))
# libstemmer (Snowball, search) ships no pkg-config file
LDLIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstemmer -lpthread -lm
TLIBS   := $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null)

LIB_SRC  := $(sort $(shell find src -name '*.c' ! -path src/main.c))
# data the binary carries: the Kazakh stemmer's suffix list (search; scripts/embed.sh) and
# the OpenAPI document (scripts/openapi-json.py)
GEN_OBJ  := $(B)/obj/gen/kk_suffixes.o $(B)/obj/gen/openapi_json.o
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/obj/%.o) $(GEN_OBJ)
UNIT_SRC := $(sort $(shell find tests/unit -name '*.c' 2>/dev/null))
UNIT_BIN := $(UNIT_SRC:%.c=$(B)/%)
API_SRC  := $(sort $(filter-out tests/api/harness.c,$(wildcard tests/api/*.c)))
API_BIN  := $(API_SRC:%.c=$(B)/%)
BENCH_SRC := $(sort $(wildcard bench/*.c))
BENCH_BIN := $(BENCH_SRC:%.c=$(B)/%)

.PHONY: all deps bin tests test run bench lint fuzz clean install uninstall FORCE
.SECONDARY: # keep the objects of test programs: they are not throw-away intermediates
.DEFAULT_GOAL := all

all: deps
	@$(MAKE) --no-print-directory bin

deps:
	@scripts/deps.sh

bin: $(B)/otinish $(B)/otinish.1

$(B)/otinish: $(B)/obj/src/main.o $(B)/libotinish.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# the manual page: docs/otinish.1.in and every command's own help text
$(B)/otinish.1: $(B)/otinish docs/otinish.1.in scripts/gen-man.sh
	scripts/gen-man.sh $(B)/otinish docs/otinish.1.in >$@.tmp && mv $@.tmp $@

# The OpenAPI document (docs/openapi.yaml) as JSON compiled in, served at /api/v1/openapi.json
$(B)/gen/openapi_json.c: docs/openapi.yaml scripts/openapi-json.py src/util/version.h
	@mkdir -p $(@D)
	python3 scripts/openapi-json.py docs/openapi.yaml $@ $(B)/gen/openapi.json

$(B)/obj/gen/openapi_json.o: $(B)/gen/openapi_json.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(B)/libotinish.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# The compiled-in last resort for finding data/ and web/ (src/util/paths.c); rebuilt when
# PREFIX changes
$(B)/obj/src/util/paths.o: CFLAGS += -DOT_PREFIX='"$(PREFIX)"'
$(B)/obj/src/util/paths.o: $(B)/prefix
$(B)/prefix: FORCE
	@mkdir -p $(@D)
	@echo '$(PREFIX)' | cmp -s - $@ || echo '$(PREFIX)' >$@

$(B)/obj/gen/kk_suffixes.o: data/lang/kk/suffixes.txt scripts/embed.sh
	@mkdir -p $(@D)
	scripts/embed.sh ot_data_kk_suffixes $< >$(@D)/kk_suffixes.c
	$(CC) $(CFLAGS) -c -o $@ $(@D)/kk_suffixes.c

$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(B)/tests/unit/%: $(B)/obj/tests/unit/%.o $(B)/libotinish.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(TLIBS) $(LDLIBS)

$(B)/tests/api/%: $(B)/obj/tests/api/%.o $(B)/obj/tests/api/harness.o $(B)/libotinish.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(TLIBS) $(LDLIBS)

$(B)/bench/%: $(B)/obj/bench/%.o $(B)/libotinish.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

tests: $(B)/otinish $(B)/otinish.1 $(UNIT_BIN) $(API_BIN)

test: deps
	@$(MAKE) --no-print-directory tests
	@$(MAKE) --no-print-directory SANITIZE=1 tests
	@tests/run.sh build build/san

run: deps
	@$(MAKE) --no-print-directory bin
	@mkdir -p var
	@[ -f var/otinish.db ] || build/otinish init --db var/otinish.db --region data/regions/vko --demo 35000
	build/otinish serve --db var/otinish.db --listen 127.0.0.1:8080

bench: deps
	@$(MAKE) --no-print-directory bin $(BENCH_BIN)
	@bench/run.sh

# libFuzzer needs clang: the library is built again with clang and coverage into build/fuzz/
# (clang also warns of string literals concatenated in an array, which store_report.c means).
FUZZ_SECONDS ?= 60
FUZZ_SRC := $(sort $(wildcard tests/unit/fuzz/*.c))
FUZZ_SAN := -fsanitize=fuzzer-no-link,address,undefined
fuzz: deps
	@$(MAKE) --no-print-directory B=build/fuzz CC=clang \
	  OPT='-O1 -fno-omit-frame-pointer $(FUZZ_SAN) -Wno-string-concatenation' build/fuzz/libotinish.a
	@set -e; for f in $(FUZZ_SRC); do n=$$(basename $$f .c); mkdir -p tests/fuzz/corpus/$$n; \
	  clang -g -O1 -DOT_LIBFUZZER -fsanitize=fuzzer,address,undefined -Isrc \
	    $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -o build/fuzz/fuzz-$$n $$f \
	    build/fuzz/libotinish.a $(LDLIBS); \
	  echo "fuzz $$n: $(FUZZ_SECONDS) s on tests/fuzz/corpus/$$n"; \
	  build/fuzz/fuzz-$$n -max_total_time=$(FUZZ_SECONDS) -max_len=16384 -print_final_stats=1 \
	    tests/fuzz/corpus/$$n 2>build/fuzz/fuzz-$$n.log || { tail -40 build/fuzz/fuzz-$$n.log; exit 1; }; \
	  grep -E 'stat::number_of_executed_units|stat::peak_rss' build/fuzz/fuzz-$$n.log; done

lint: deps
	clang-format --dry-run --Werror $$(find src tests bench -name '*.[ch]')
	scripts/check-layers.sh
	@# ctuuninitvar: cppcheck takes passing the address of a struct that the callee fills
	@# (an out-parameter) for a read of it
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	  --std=c11 --inline-suppr -Isrc --suppress=missingIncludeSystem --suppress=ctuuninitvar src

# The installed binary finds share/otinish beside its bin/ (also under a DESTDIR). The web UI
# takes from web/node_modules only Chart.js's one file (and its licence).
SHARE := $(DESTDIR)$(PREFIX)/share/otinish
UNITS := otinish.service otinish-backup.service otinish-backup.timer
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(SHARE)/web/node_modules/chart.js/dist
	install -m 755 $(B)/otinish $(DESTDIR)$(PREFIX)/bin/otinish
	cp -R data $(SHARE)/
	cd web && find . -path ./node_modules -prune -o -type f ! -name 'package*.json' -print | \
	  while read -r f; do install -D -m 644 "$$f" "$(SHARE)/web/$$f"; done
	install -m 644 web/node_modules/chart.js/dist/chart.umd.min.js $(SHARE)/web/node_modules/chart.js/dist/
	install -m 644 web/node_modules/chart.js/LICENSE.md $(SHARE)/web/node_modules/chart.js/
	install -D -m 644 $(B)/otinish.1 $(DESTDIR)$(MANDIR)/man1/otinish.1
	@# systemd: the service, the nightly backup and its timer, the system user
	install -d $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(SYSCONFDIR)/otinish
	for u in $(UNITS); do \
	  sed 's|@PREFIX@|$(PREFIX)|g' dist/systemd/$$u >$(DESTDIR)$(UNITDIR)/$$u && \
	  chmod 644 $(DESTDIR)$(UNITDIR)/$$u || exit 1; done
	install -m 644 dist/systemd/otinish.sysusers $(DESTDIR)$(SYSUSERSDIR)/otinish.conf
	@# the configuration: an operator's file is never overwritten
	[ -e $(DESTDIR)$(SYSCONFDIR)/otinish/otinish.conf ] || \
	  install -m 644 docs/otinish.conf $(DESTDIR)$(SYSCONFDIR)/otinish/otinish.conf

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/otinish $(DESTDIR)$(MANDIR)/man1/otinish.1
	rm -rf $(SHARE)
	rm -f $(addprefix $(DESTDIR)$(UNITDIR)/,$(UNITS)) $(DESTDIR)$(SYSUSERSDIR)/otinish.conf

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
