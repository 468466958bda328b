/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The tools' name quoting (examples/cli.c, cli_put_name) against GNU ls:
 * every name is created as a file in a scratch directory and ls prints it
 * with --quoting-style=shell-escape(-always) in C.UTF-8. Where we quote, we
 * must print exactly what ls prints; where we do not, the name as it is.
 * The names are a table of hostile ones plus seeded random ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <locale.h>

#include <cmocka.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

static char scratch[] = NTFS_TEST_WORK_DIR "/cli-names-XXXXXX";

/* Run ARGV in the scratch directory in C.UTF-8; its stdout, without the
 * final newline when strip is set, into out. */
static bool capture(char *const argv[], bool strip, char *out, size_t cap)
{
	int fds[2];
	size_t len = 0;
	ssize_t n;
	pid_t pid;
	int status;

	if (pipe(fds) != 0)
		return false;
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		if (chdir(scratch) != 0)
			_exit(126);
		setenv("LC_ALL", "C.UTF-8", 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	while (len + 1 < cap && (n = read(fds[0], out + len, cap - 1 - len)) > 0)
		len += (size_t)n;
	close(fds[0]);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return false;
	if (strip) {
		if (len == 0 || out[len - 1] != '\n')
			return false;
		len--;
	}
	out[len] = '\0';
	return true;
}

/* What `ls -1d --quoting-style=STYLE -- NAME` prints. */
static bool gnu_ls(const char *style, const char *name, char *out, size_t cap)
{
	char opt[64];
	char *argv[] = {"ls", "-1d", opt, "--", (char *)name, NULL};

	snprintf(opt, sizeof opt, "--quoting-style=%s", style);
	return capture(argv, true, out, cap);
}

/* What bash makes of QUOTED as a word: the name it stands for. */
static void bash_word(const char *quoted, char *out, size_t cap)
{
	char script[4096];
	char *argv[] = {"bash", "-c", script, NULL};

	snprintf(script, sizeof script, "printf %%s %s", quoted);
	assert_true(capture(argv, false, out, cap));
}

/*
 * GNU ls 9.1 misquotes a name that holds ' and ends with a control
 * character: it adds a redundant '' in front or, when the name also starts
 * with a control character, drops that run's $ (so bash reads back "\001").
 * There ours may differ; bash must read ours back as the name either way.
 */
static bool gnu_quirk(const char *name)
{
	mbstate_t mb;
	const char *p = name;
	bool last_escaped = false;
	wchar_t wc;
	size_t n;

	memset(&mb, 0, sizeof mb);
	while (*p != '\0') {
		n = mbrtowc(&wc, p, strlen(p), &mb);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&mb, 0, sizeof mb);
			n = 1;
			last_escaped = true;
		} else {
			last_escaped = wc < 0x20 || (wc >= 0x7f && wc <= 0x9f) || wc == 0x2028 ||
			               wc == 0x2029;
		}
		p += n;
	}
	return strchr(name, '\'') != NULL && last_escaped;
}

static void expect_quoted(const char *name, const char *got, const char *style)
{
	char want[4096], back[4096];

	assert_true(gnu_ls(style, name, want, sizeof want));
	bash_word(got, back, sizeof back);
	assert_string_equal(back, name);
	if (strcmp(got, want) != 0 && !gnu_quirk(name))
		fail_msg("%s: ours %s, GNU ls %s", style, got, want);
}

static void ours(const char *name, enum cli_quote how, char *out, size_t cap)
{
	FILE *f = fmemopen(out, cap, "w");

	assert_non_null(f);
	cli_put_name(f, name, how);
	assert_int_equal(fclose(f), 0);
}

/* A name we may print as it is: valid UTF-8 (glibc's decoder says so), no
 * C0, DEL, C1, U+2028 or U+2029, and no leading quote to look quoted. */
static bool safe_as_is(const char *name)
{
	mbstate_t mb;
	const char *p = name;
	wchar_t wc;
	size_t n;

	if (name[0] == '\'' || name[0] == '"')
		return false;
	memset(&mb, 0, sizeof mb);
	while (*p != '\0') {
		n = mbrtowc(&wc, p, strlen(p), &mb);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0)
			return false;
		if (wc < 0x20 || (wc >= 0x7f && wc <= 0x9f) || wc == 0x2028 || wc == 0x2029)
			return false;
		p += n;
	}
	return true;
}

static bool no_controls(const unsigned char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s == 0x7f || (s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f))
			return false;
	return true;
}

static void check_name(const char *name)
{
	char path[4096], got[4096];
	int fd;

	snprintf(path, sizeof path, "%s/%s", scratch, name);
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	if (fd < 0)
		fail_msg("cannot create a file named %zu bytes long", strlen(name));
	close(fd);

	ours(name, CLI_QUOTE_ALWAYS, got, sizeof got);
	expect_quoted(name, got, "shell-escape-always");
	assert_true(no_controls((const unsigned char *)got));

	ours(name, CLI_QUOTE_NEEDED, got, sizeof got);
	if (strcmp(got, name) != 0)
		expect_quoted(name, got, "shell-escape");
	else if (!safe_as_is(name))
		fail_msg("printed as it is, but unsafe: %s", got);
	assert_true(no_controls((const unsigned char *)got));
	unlink(path);
}

static const char *const hostile[] = {
        "plain",
        "a b",
        "it's",
        "'lead",
        "\"lead",
        "$lead",
        "a\"b'c",
        "a\nb",
        "\nlead",
        "trail\n",
        "\x1b]0;pwned\x07",
        "\x1b[2J\x1b[H",
        "tab\there",
        "del\x7f",
        "\x01",
        "\x01\x02\x03",
        "a'\nb",
        "\x01'",
        "'\x01",
        "a\x01''\x02b",
        "c1 \xc2\x85 nel",
        "c1 \xc2\x9b\063\061m csi",
        "ls \xe2\x80\xa8 ps \xe2\x80\xa9",
        "bidi \xe2\x80\xae ok",
        "utf8 \xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80",
        "bad \xff byte",
        "lone \xc2",
        "overlong \xc0\xaf",
        "surrogate \xed\xa0\x80",
        "a\\b",
        "x!y*z?",
        "~tilde",
        "=eq",
};

static void hostile_names(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++)
		check_name(hostile[i]);
}

/* Random names from an alphabet of the troublesome pieces. */
static void random_names(void **state)
{
	/* One-byte pieces, then longer ones: controls, C1, U+2028, U+202E... */
	static const char ascii[] =
	        "aZ0 '\"$\\!*#~=%+,-.:@][_{}();&|<>?^`\x01\x07\x08\t\n\x0b\x0c\r"
	        "\x1b\x1f\x7f\xff";
	static const char *const longer[] = {
	        "\xc2\x80",     "\xc2\x85",     "\xc2\x9f",     "\xc2\xa0",         "\xc3\xa9",
	        "\xe2\x80\xa8", "\xe2\x80\xae", "\xe4\xb8\xad", "\xf0\x9f\x98\x80",
	};
	uint64_t x = 0x9e3779b97f4a7c15ull;
	char name[128];
	(void)state;

	for (int n = 0; n < 300; n++) {
		size_t len = 0, k;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		k = 1 + x % 8;
		while (k--) {
			size_t pick;

			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			pick = x % (sizeof ascii - 1 + sizeof longer / sizeof longer[0]);
			if (pick < sizeof ascii - 1) {
				name[len++] = ascii[pick];
			} else {
				const char *p = longer[pick - (sizeof ascii - 1)];

				memcpy(name + len, p, strlen(p));
				len += strlen(p);
			}
		}
		name[len] = '\0';
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		check_name(name);
	}
}

static int setup(void **state)
{
	char probe[64];
	(void)state;

	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL) {
		print_message("SKIP: no C.UTF-8 locale\n");
		return -1;
	}
	if (mkdtemp(scratch) == NULL)
		return -1;
	if (!gnu_ls("shell-escape", ".", probe, sizeof probe)) {
		print_message("SKIP: GNU ls with C.UTF-8 is not available\n");
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rmdir(scratch);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(hostile_names),
	        cmocka_unit_test(random_names),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
