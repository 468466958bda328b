/* SPDX-License-Identifier: BSD-2-Clause */
/* SDDL of a self-relative security descriptor (see sddl.h). */
#include "sddl.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Offsets and bits of [MS-DTYP] 2.4.2.2 (SID), 2.4.4 (ACE), 2.4.5 (ACL)
 * and 2.4.6 (SECURITY_DESCRIPTOR, self-relative). */
#define SD_HEADER 20u
#define SE_DACL_PRESENT 0x0004u
#define SE_SACL_PRESENT 0x0010u
#define SE_DACL_AUTO_INHERIT_REQ 0x0100u
#define SE_SACL_AUTO_INHERIT_REQ 0x0200u
#define SE_DACL_AUTO_INHERITED 0x0400u
#define SE_SACL_AUTO_INHERITED 0x0800u
#define SE_DACL_PROTECTED 0x1000u
#define SE_SACL_PROTECTED 0x2000u
#define SE_SELF_RELATIVE 0x8000u
#define ACL_HEADER 8u
#define ACE_HEADER 4u
#define ACE_MANDATORY_LABEL 0x11u

struct out {
	char *buf;
	size_t cap;
	size_t len; /* of the whole string, also past cap */
};

static void put(struct out *o, const char *s)
{
	for (; *s != '\0'; s++, o->len++)
		if (o->cap > 0 && o->len < o->cap - 1)
			o->buf[o->len] = *s;
}

static void putf_u64(struct out *o, const char *fmt, unsigned long long v)
{
	char tmp[32];
	snprintf(tmp, sizeof tmp, fmt, v);
	put(o, tmp);
}

static uint32_t ld16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t ld32(const uint8_t *p)
{
	return ld16(p) | ld16(p + 2) << 16;
}

/* ---- SIDs ---- */

static const struct {
	const char *alias;
	const char *sid;
} aliases[] = {
        {"WD", "S-1-1-0"},
        {"CO", "S-1-3-0"},
        {"CG", "S-1-3-1"},
        {"OW", "S-1-3-4"},
        {"NU", "S-1-5-2"},
        {"IU", "S-1-5-4"},
        {"SU", "S-1-5-6"},
        {"AN", "S-1-5-7"},
        {"ED", "S-1-5-9"},
        {"PS", "S-1-5-10"},
        {"AU", "S-1-5-11"},
        {"RC", "S-1-5-12"},
        {"SY", "S-1-5-18"},
        {"LS", "S-1-5-19"},
        {"NS", "S-1-5-20"},
        {"WR", "S-1-5-33"},
        {"BA", "S-1-5-32-544"},
        {"BU", "S-1-5-32-545"},
        {"BG", "S-1-5-32-546"},
        {"PU", "S-1-5-32-547"},
        {"AO", "S-1-5-32-548"},
        {"SO", "S-1-5-32-549"},
        {"PO", "S-1-5-32-550"},
        {"BO", "S-1-5-32-551"},
        {"RE", "S-1-5-32-552"},
        {"RU", "S-1-5-32-554"},
        {"RD", "S-1-5-32-555"},
        {"NO", "S-1-5-32-556"},
        {"MU", "S-1-5-32-558"},
        {"LU", "S-1-5-32-559"},
        {"IS", "S-1-5-32-568"},
        {"CY", "S-1-5-32-569"},
        {"ER", "S-1-5-32-573"},
        {"CD", "S-1-5-32-574"},
        {"RA", "S-1-5-32-575"},
        {"ES", "S-1-5-32-576"},
        {"MS", "S-1-5-32-577"},
        {"HA", "S-1-5-32-578"},
        {"AA", "S-1-5-32-579"},
        {"RM", "S-1-5-32-580"},
        {"UD", "S-1-5-84-0-0-0-0-0"},
        {"AC", "S-1-15-2-1"},
        {"LW", "S-1-16-4096"},
        {"ME", "S-1-16-8192"},
        {"MP", "S-1-16-8448"},
        {"HI", "S-1-16-12288"},
        {"SI", "S-1-16-16384"},
        {"AS", "S-1-18-1"},
        {"SS", "S-1-18-2"},
};

/* Bytes of the SID at @p in @room bytes, or 0 if it is not a whole one. */
static size_t sid_size(const uint8_t *p, size_t room)
{
	size_t size;

	if (room < 8 || p[0] != 1 || p[1] > 15)
		return 0;
	size = 8 + 4 * (size_t)p[1];
	return size <= room ? size : 0;
}

/* "S-1-..." of a whole SID. */
static void sid_string(const uint8_t *p, char *s, size_t cap)
{
	unsigned long long auth = 0;
	size_t n;

	for (int i = 2; i < 8; i++)
		auth = auth << 8 | p[i];
	n = (size_t)snprintf(s, cap, auth >> 32 ? "S-1-0x%012llX" : "S-1-%llu", auth);
	for (int i = 0; i < p[1] && n < cap; i++)
		n += (size_t)snprintf(s + n, cap - n, "-%lu", (unsigned long)ld32(p + 8 + 4 * i));
}

static void put_sid(struct out *o, const uint8_t *p)
{
	char s[8 + 20 + 15 * 11 + 1];

	sid_string(p, s, sizeof s);
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
		if (strcmp(s, aliases[i].sid) == 0) {
			put(o, aliases[i].alias);
			return;
		}
	}
	put(o, s);
}

/* ---- ACEs ---- */

struct name_bit {
	const char *name;
	uint32_t bits;
};

static const struct name_bit ace_flags[] = {
        {"OI", 0x01}, {"CI", 0x02}, {"NP", 0x04}, {"IO", 0x08},
        {"ID", 0x10}, {"SA", 0x40}, {"FA", 0x80},
};

/* Whole-mask aliases, tried first ([MS-DTYP] 2.5.1.1 ace-rights). */
static const struct name_bit file_rights[] = {
        {"FA", 0x001F01FF}, /* FILE_ALL_ACCESS */
        {"FR", 0x00120089}, /* FILE_GENERIC_READ */
        {"FW", 0x00120116}, /* FILE_GENERIC_WRITE */
        {"FX", 0x001200A0}, /* FILE_GENERIC_EXECUTE */
};

static const struct name_bit right_letters[] = {
        {"GA", 0x10000000}, {"GR", 0x80000000}, {"GW", 0x40000000}, {"GX", 0x20000000},
        {"RC", 0x00020000}, {"SD", 0x00010000}, {"WD", 0x00040000}, {"WO", 0x00080000},
        {"RP", 0x00000010}, {"WP", 0x00000020}, {"CC", 0x00000001}, {"DC", 0x00000002},
        {"LC", 0x00000004}, {"SW", 0x00000008}, {"LO", 0x00000080}, {"DT", 0x00000040},
        {"CR", 0x00000100},
};

static const struct name_bit label_rights[] = {
        {"NW", 0x1}, {"NR", 0x2}, {"NX", 0x4}, /* SYSTEM_MANDATORY_LABEL_NO_* */
};

static const char *ace_type_name(uint8_t type)
{
	static const char *const names[0x14] = {
	        "A",  "D",  "AU", "AL", NULL, "OA", "OD", "OU", "OL", "XA",
	        "XD", "ZA", NULL, "XU", NULL, NULL, NULL, "ML", "RA", "SP",
	};
	return type < 0x14 ? names[type] : NULL;
}

/* Where the SID is: 0 unknown layout, 1 after the mask, 2 after the object
 * flags and GUIDs. */
static int ace_layout(uint8_t type)
{
	if ((type >= 0x05 && type <= 0x08) || type == 0x0B || type == 0x0C || type == 0x0F ||
	    type == 0x10)
		return 2;
	return type <= 0x13 && type != 0x04 ? 1 : 0;
}

/* Put the names of @v's bits in @names order; @v's other bits as hex. */
static bool put_bits(struct out *o, uint32_t v, const struct name_bit *names, size_t n,
                     bool all_or_hex)
{
	uint32_t known = 0;

	for (size_t i = 0; i < n; i++)
		known |= names[i].bits;
	if (all_or_hex && (v & ~known) != 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (v & names[i].bits)
			put(o, names[i].name);
	if (v & ~known)
		putf_u64(o, "0x%llx", v & ~known);
	return true;
}

static void put_rights(struct out *o, uint8_t type, uint32_t mask)
{
	if (type == ACE_MANDATORY_LABEL) {
		if (!put_bits(o, mask, label_rights, 3, true))
			putf_u64(o, "0x%llx", mask);
		return;
	}
	for (size_t i = 0; i < sizeof file_rights / sizeof file_rights[0]; i++) {
		if (mask == file_rights[i].bits) {
			put(o, file_rights[i].name);
			return;
		}
	}
	if (!put_bits(o, mask, right_letters, sizeof right_letters / sizeof right_letters[0], true))
		putf_u64(o, "0x%llx", mask);
}

static void put_guid(struct out *o, const uint8_t *g)
{
	char s[40];

	snprintf(s, sizeof s, "%08lx-%04lx-%04lx-%02x%02x-%02x%02x%02x%02x%02x%02x",
	         (unsigned long)ld32(g), (unsigned long)ld16(g + 4), (unsigned long)ld16(g + 6),
	         g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
	put(o, s);
}

/* One ACE of @size bytes (at least ACE_HEADER, inside its ACL). */
static bool put_ace(struct out *o, const uint8_t *ace, size_t size)
{
	const uint8_t type = ace[0];
	const char *name = ace_type_name(type);
	const uint8_t *object = NULL, *inherited = NULL;
	size_t at = 8;
	int layout = ace_layout(type);

	if (layout != 0 && size < 8)
		return false;
	if (layout == 2) {
		uint32_t flags;
		if (size < 12)
			return false;
		flags = ld32(ace + 8);
		at = 12;
		if (flags & 1) {
			if (size - at < 16)
				return false;
			object = ace + at;
			at += 16;
		}
		if (flags & 2) {
			if (size - at < 16)
				return false;
			inherited = ace + at;
			at += 16;
		}
	}
	if (layout != 0 && sid_size(ace + at, size - at) == 0)
		return false;
	put(o, "(");
	if (name != NULL)
		put(o, name);
	else
		putf_u64(o, "0x%02llX", type);
	put(o, ";");
	put_bits(o, ace[1], ace_flags, sizeof ace_flags / sizeof ace_flags[0], false);
	put(o, ";");
	if (layout != 0)
		put_rights(o, type, ld32(ace + 4));
	put(o, ";");
	if (object)
		put_guid(o, object);
	put(o, ";");
	if (inherited)
		put_guid(o, inherited);
	put(o, ";");
	if (layout != 0)
		put_sid(o, ace + at);
	put(o, ")");
	return true;
}

/* "D:" or "S:", its flags, and the ACL at @off (0: a NULL ACL). */
static bool put_acl(struct out *o, const uint8_t *sd, size_t len, uint32_t off, const char *tag,
                    uint16_t control, const uint16_t bits[3])
{
	static const char *const flag_names[3] = {"P", "AR", "AI"};
	size_t size, count, pos = ACL_HEADER;

	put(o, tag);
	for (int i = 0; i < 3; i++)
		if (control & bits[i])
			put(o, flag_names[i]);
	if (off == 0) {
		put(o, "NO_ACCESS_CONTROL");
		return true;
	}
	if (off < SD_HEADER || off > len || len - off < ACL_HEADER)
		return false;
	size = ld16(sd + off + 2);
	count = ld16(sd + off + 4);
	if (size < ACL_HEADER || size > len - off)
		return false;
	for (size_t i = 0; i < count; i++) {
		size_t ace_size;
		if (size - pos < ACE_HEADER)
			return false;
		ace_size = ld16(sd + off + pos + 2);
		if (ace_size < ACE_HEADER || ace_size > size - pos ||
		    !put_ace(o, sd + off + pos, ace_size))
			return false;
		pos += ace_size;
	}
	return true;
}

static bool put_owner(struct out *o, const uint8_t *sd, size_t len, uint32_t off, const char *tag)
{
	if (off == 0)
		return true;
	if (off < SD_HEADER || off >= len || sid_size(sd + off, len - off) == 0)
		return false;
	put(o, tag);
	put_sid(o, sd + off);
	return true;
}

long sddl_render(const uint8_t *sd, size_t len, char *out, size_t cap)
{
	static const uint16_t dacl_bits[3] = {SE_DACL_PROTECTED, SE_DACL_AUTO_INHERIT_REQ,
	                                      SE_DACL_AUTO_INHERITED};
	static const uint16_t sacl_bits[3] = {SE_SACL_PROTECTED, SE_SACL_AUTO_INHERIT_REQ,
	                                      SE_SACL_AUTO_INHERITED};
	struct out o = {out, cap, 0};
	uint16_t control = 0;
	bool ok = len >= SD_HEADER && sd[0] == 1;

	if (ok)
		control = (uint16_t)ld16(sd + 2);
	ok = ok && (control & SE_SELF_RELATIVE) && put_owner(&o, sd, len, ld32(sd + 4), "O:") &&
	     put_owner(&o, sd, len, ld32(sd + 8), "G:") &&
	     (!(control & SE_DACL_PRESENT) ||
	      put_acl(&o, sd, len, ld32(sd + 16), "D:", control, dacl_bits)) &&
	     (!(control & SE_SACL_PRESENT) ||
	      put_acl(&o, sd, len, ld32(sd + 12), "S:", control, sacl_bits));
	if (!ok) {
		if (cap > 0)
			out[0] = '\0';
		return -1;
	}
	if (cap > 0)
		out[o.len < cap ? o.len : cap - 1] = '\0';
	return (long)o.len;
}
